package io.ironlake.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps the module arrows of DESIGN.md pointing one way. */
class ModuleLayeringTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importIronlake() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.ironlake");
  }

  @Test
  void connectorsDependOnNothingOfOurs() {
    noClasses()
        .that()
        .resideInAPackage("io.ironlake.connectors..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.ironlake.embedded..",
            "io.ironlake.simulator..",
            "io.ironlake.collector..",
            "io.ironlake.lakehouse..",
            "io.ironlake.jobs..",
            "io.ironlake.cli..",
            "io.ironlake.bench..")
        .check(classes);
  }

  @Test
  void edgeCollectorStaysSmallAndFreeOfFlinkAndIceberg() {
    noClasses()
        .that()
        .resideInAPackage("io.ironlake.collector..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.flink..",
            "org.apache.iceberg..",
            "org.apache.hadoop..",
            "io.ironlake.embedded..",
            "io.ironlake.simulator..",
            "io.ironlake.lakehouse..",
            "io.ironlake.jobs..",
            "io.ironlake.cli..")
        .check(classes);
  }

  @Test
  void simulatorDependsOnlyOnConnectorsAndEmbedded() {
    noClasses()
        .that()
        .resideInAPackage("io.ironlake.simulator..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.ironlake.collector..",
            "io.ironlake.lakehouse..",
            "io.ironlake.jobs..",
            "io.ironlake.cli..")
        .check(classes);
  }

  @Test
  void lakehouseDoesNotReachUp() {
    noClasses()
        .that()
        .resideInAPackage("io.ironlake.lakehouse..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.ironlake.collector..",
            "io.ironlake.simulator..",
            "io.ironlake.jobs..",
            "io.ironlake.cli..")
        .check(classes);
  }

  @Test
  void streamJobsDoNotReachUp() {
    noClasses()
        .that()
        .resideInAPackage("io.ironlake.jobs..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.ironlake.collector..", "io.ironlake.simulator..", "io.ironlake.cli..")
        .check(classes);
  }
}
