package io.ironlake.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.milo.opcua.stack.core.types.structured.EUInformation;
import org.junit.jupiter.api.Test;

class FactoryNamespaceTest {

  @Test
  void engineeringUnitsCarryTheUneceCodeAsOpcUaPart8PacksIt() {
    EUInformation kw = FactoryNamespace.engineeringUnits("kW");

    assertThat(kw.getNamespaceUri()).isEqualTo("http://www.opcfoundation.org/UA/units/un/cefact");
    // "KWT": 'K' 0x4B, 'W' 0x57, 'T' 0x54.
    assertThat(kw.getUnitId()).isEqualTo(0x4B5754);
    assertThat(kw.getDisplayName().text()).isEqualTo("kW");
    assertThat(kw.getDescription().text()).isEqualTo("kilowatt");
    assertThat(FactoryNamespace.engineeringUnits("°C").getUnitId()).isEqualTo(0x43454C); // CEL
  }

  @Test
  void aUnitWithoutAKnownCodeHasUnitIdMinusOne() {
    EUInformation other = FactoryNamespace.engineeringUnits("parts");

    assertThat(other.getUnitId()).isEqualTo(-1);
    assertThat(other.getDisplayName().text()).isEqualTo("parts");
  }
}
