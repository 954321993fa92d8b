package io.ironlake.collector.opcua.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowsePath;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowsePathResult;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowsePathTarget;
import org.eclipse.milo.opcua.stack.core.types.structured.EUInformation;
import org.eclipse.milo.opcua.stack.core.types.structured.RelativePath;
import org.eclipse.milo.opcua.stack.core.types.structured.RelativePathElement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives mapped variables without a configured {@code unit} the unit their server declares: the
 * display name of their {@code EngineeringUnits} property (an {@code EUInformation}, OPC UA Part 8,
 * e.g. {@code kW} or {@code °C}), which analog variables of PLCs and gateways commonly carry.
 *
 * <p>One TranslateBrowsePathsToNodeIds request per batch of variables finds the properties (batches
 * of the Browse service set's size, {@link ServerLimits#nodesPerBrowse}), and one Read per batch of
 * found properties ({@link ServerLimits#nodesPerRead}) reads them. A variable without the property
 * keeps its empty unit, and so does every variable when the server refuses either service: units
 * are a convenience, never a reason to stay disconnected.
 */
public final class EngineeringUnits {
  private static final Logger LOG = LoggerFactory.getLogger(EngineeringUnits.class);

  static final QualifiedName PROPERTY = new QualifiedName(0, "EngineeringUnits");

  private EngineeringUnits() {}

  /**
   * {@code nodes} with the server's unit filled in where the mapping has none; the same list when
   * every mapping has one.
   */
  public static List<MappedNode> fill(
      OpcUaClient client,
      NamespaceTable namespaces,
      List<MappedNode> nodes,
      ServerLimits limits,
      String source) {
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i).mapping().unit().isEmpty()) {
        missing.add(i);
      }
    }
    if (missing.isEmpty()) {
      return nodes;
    }
    long start = System.nanoTime();
    List<MappedNode> out = new ArrayList<>(nodes);
    int filled = 0;
    try {
      List<Integer> owners = new ArrayList<>();
      List<NodeId> properties = new ArrayList<>();
      int perTranslate = Math.max(1, limits.nodesPerBrowse());
      for (int i = 0; i < missing.size(); i += perTranslate) {
        List<Integer> batch = missing.subList(i, Math.min(missing.size(), i + perTranslate));
        List<BrowsePath> paths = new ArrayList<>(batch.size());
        for (int index : batch) {
          paths.add(
              new BrowsePath(
                  nodes.get(index).nodeId(),
                  new RelativePath(
                      new RelativePathElement[] {
                        new RelativePathElement(NodeIds.HasProperty, false, true, PROPERTY)
                      })));
        }
        BrowsePathResult[] results = client.translateBrowsePaths(paths).getResults();
        for (int j = 0; j < batch.size() && results != null && j < results.length; j++) {
          BrowsePathTarget[] targets = results[j].getTargets();
          if (results[j].getStatusCode().isGood() && targets != null && targets.length > 0) {
            Optional<NodeId> id = targets[0].getTargetId().toNodeId(namespaces);
            if (id.isPresent()) {
              owners.add(batch.get(j));
              properties.add(id.get());
            }
          }
        }
      }
      int perRead = Math.max(1, limits.nodesPerRead());
      for (int i = 0; i < properties.size(); i += perRead) {
        List<NodeId> batch = properties.subList(i, Math.min(properties.size(), i + perRead));
        List<DataValue> values = client.readValues(0, TimestampsToReturn.Neither, batch);
        for (int j = 0; j < values.size() && j < batch.size(); j++) {
          String unit = unitOf(client, values.get(j));
          if (!unit.isEmpty()) {
            int index = owners.get(i + j);
            MappedNode node = nodes.get(index);
            out.set(index, new MappedNode(node.mapping().withUnit(unit), node.nodeId()));
            filled++;
          }
        }
      }
    } catch (UaException | RuntimeException e) {
      LOG.warn(
          "opcua engineering units not readable, units stay as configured: source={},"
              + " withoutUnit={}, filled={}, error={}",
          source,
          missing.size(),
          filled,
          e.getMessage());
      return out;
    }
    LOG.info(
        "opcua engineering units read: source={}, withoutUnit={}, filled={}, millis={}",
        source,
        missing.size(),
        filled,
        (System.nanoTime() - start) / 1_000_000);
    return out;
  }

  /** The unit an EngineeringUnits value names: its display name, else its description; or "". */
  static String unitOf(OpcUaClient client, DataValue value) {
    if (value == null || value.getStatusCode() == null || !value.getStatusCode().isGood()) {
      return "";
    }
    Object v = value.getValue().getValue();
    if (!(v instanceof ExtensionObject xo)) {
      return "";
    }
    Object decoded;
    try {
      decoded = xo.decode(client.getStaticEncodingContext());
    } catch (RuntimeException e) {
      return ""; // not an EUInformation the client can decode: no unit, the others still count
    }
    if (!(decoded instanceof EUInformation eu)) {
      return "";
    }
    String name = text(eu.getDisplayName());
    return name.isEmpty() ? text(eu.getDescription()) : name;
  }

  private static String text(LocalizedText t) {
    return t == null || t.text() == null ? "" : t.text().strip();
  }
}
