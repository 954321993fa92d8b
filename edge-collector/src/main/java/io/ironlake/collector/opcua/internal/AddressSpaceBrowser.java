package io.ironlake.collector.opcua.internal;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.ironlake.collector.config.BrowseMapping;
import io.ironlake.collector.config.NodeMapping;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseNextResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.ViewDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps the variables below browse paths ({@code sources[].browse[]}): walks the subtree level by
 * level with batched Browse requests (at most {@code nodesPerBrowse} nodes, {@value
 * #REFERENCES_PER_NODE} references per node each) and follows every continuation point with batched
 * BrowseNext requests before the next Browse, so the server holds at most one batch of continuation
 * points and the client one level of the tree plus the mapped nodes.
 */
public final class AddressSpaceBrowser {
  private static final Logger LOG = LoggerFactory.getLogger(AddressSpaceBrowser.class);

  /** References the server returns per node before it hands out a continuation point. */
  static final int REFERENCES_PER_NODE = 100;

  /** Nodes per Browse request at most, keeping a response within about 10,000 references. */
  static final int NODES_PER_BROWSE_CAP = 100;

  private static final ViewDescription ALL_OF_IT =
      new ViewDescription(NodeId.NULL_VALUE, DateTime.NULL_VALUE, uint(0));

  private final OpcUaClient client;
  private final NamespaceTable namespaces;
  private final int nodesPerBrowse;
  private final String source;
  private long requests;

  public AddressSpaceBrowser(
      OpcUaClient client, NamespaceTable namespaces, int nodesPerBrowse, String source) {
    this.client = client;
    this.namespaces = namespaces;
    this.nodesPerBrowse = Math.max(1, Math.min(nodesPerBrowse, NODES_PER_BROWSE_CAP));
    this.source = source;
  }

  /** Browse and BrowseNext requests sent so far. */
  public long requests() {
    return requests;
  }

  /**
   * The variables one mapping maps, in browse order.
   *
   * @throws UaException when the server refuses a request as a whole
   */
  public List<MappedNode> map(BrowseMapping mapping) throws UaException {
    long start = System.nanoTime();
    Optional<NodeId> root = resolve(mapping.pathBelowObjects());
    if (root.isEmpty()) {
      LOG.warn(
          "opcua browse path not found, nothing mapped from it: source={}, path={}",
          source,
          mapping.path());
      return List.of();
    }
    List<MappedNode> mapped = new ArrayList<>();
    long[] skipped = {0};
    long[] variables = {0};
    Set<NodeId> seen = new HashSet<>();
    List<Level> frontier = List.of(new Level(root.get(), List.of()));
    for (int depth = 1; depth <= mapping.maxDepth() && !frontier.isEmpty(); depth++) {
      List<Level> next = new ArrayList<>();
      boolean descend = depth < mapping.maxDepth();
      browse(
          frontier,
          (parent, ref) -> {
            Optional<NodeId> id = ref.getNodeId().toNodeId(namespaces);
            if (id.isEmpty() || !seen.add(id.get())) {
              return;
            }
            List<String> path = append(parent.path(), ref.getBrowseName().name());
            if (ref.getNodeClass() == NodeClass.Variable) {
              variables[0]++;
              Optional<NodeMapping> m = mapping.map(nodeIdText(id.get()), path);
              if (m.isPresent()) {
                mapped.add(new MappedNode(m.get(), id.get()));
              } else {
                skipped[0]++;
              }
            } else if (descend) {
              next.add(new Level(id.get(), path));
            }
          });
      frontier = next;
    }
    LOG.info(
        "opcua browse mapped: source={}, path={}, variables={}, mapped={}, skipped={},"
            + " requests={}, millis={}",
        source,
        mapping.path(),
        variables[0],
        mapped.size(),
        skipped[0],
        requests,
        (System.nanoTime() - start) / 1_000_000);
    return mapped;
  }

  /** The node at a path of browse names below the Objects folder. */
  private Optional<NodeId> resolve(List<String> names) throws UaException {
    NodeId current = NodeIds.ObjectsFolder;
    for (String name : names) {
      NodeId[] found = {null};
      browse(
          List.of(new Level(current, List.of())),
          (parent, ref) -> {
            if (found[0] == null && ref.getBrowseName().name().equals(name)) {
              found[0] = ref.getNodeId().toNodeId(namespaces).orElse(null);
            }
          });
      if (found[0] == null) {
        return Optional.empty();
      }
      current = found[0];
    }
    return Optional.of(current);
  }

  /** Browses the children (objects and variables, no properties) of every node, in batches. */
  private void browse(List<Level> nodes, BiConsumer<Level, ReferenceDescription> onReference)
      throws UaException {
    for (int i = 0; i < nodes.size(); i += nodesPerBrowse) {
      List<Level> batch = nodes.subList(i, Math.min(nodes.size(), i + nodesPerBrowse));
      List<BrowseDescription> descriptions = new ArrayList<>(batch.size());
      for (Level l : batch) {
        descriptions.add(
            new BrowseDescription(
                l.nodeId(),
                BrowseDirection.Forward,
                NodeIds.HierarchicalReferences,
                true,
                uint(NodeClass.Object.getValue() | NodeClass.Variable.getValue()),
                uint(BrowseResultMask.All.getValue())));
      }
      requests++;
      BrowseResponse response = client.browse(ALL_OF_IT, uint(REFERENCES_PER_NODE), descriptions);
      BrowseResult[] results = response.getResults();
      List<Level> pendingNodes = new ArrayList<>();
      List<ByteString> pending = new ArrayList<>();
      for (int j = 0; j < results.length; j++) {
        collect(batch.get(j), results[j], onReference, pendingNodes, pending);
      }
      while (!pending.isEmpty()) {
        requests++;
        BrowseNextResponse more = client.browseNext(false, pending);
        BrowseResult[] moreResults = more.getResults();
        List<Level> againNodes = new ArrayList<>();
        List<ByteString> again = new ArrayList<>();
        for (int j = 0; j < moreResults.length; j++) {
          collect(pendingNodes.get(j), moreResults[j], onReference, againNodes, again);
        }
        pendingNodes = againNodes;
        pending = again;
      }
    }
  }

  private void collect(
      Level parent,
      BrowseResult result,
      BiConsumer<Level, ReferenceDescription> onReference,
      List<Level> pendingNodes,
      List<ByteString> pending) {
    if (result.getStatusCode() != null && result.getStatusCode().isBad()) {
      LOG.warn(
          "opcua browse of a node failed, its subtree is skipped: source={}, nodeId={}, status={}",
          source,
          parent.nodeId().toParseableString(),
          result.getStatusCode());
      return;
    }
    ReferenceDescription[] refs = result.getReferences();
    if (refs != null) {
      for (ReferenceDescription ref : refs) {
        if (Boolean.TRUE.equals(ref.getIsForward())
            && !NodeIds.HasProperty.equals(ref.getReferenceTypeId())) {
          onReference.accept(parent, ref);
        }
      }
    }
    ByteString cp = result.getContinuationPoint();
    if (cp != null && !cp.isNullOrEmpty()) {
      pendingNodes.add(parent);
      pending.add(cp);
    }
  }

  /**
   * A node id as the config would write it: {@code nsu=<uri>;...} outside namespace 0, so that it
   * survives a server renumbering its namespaces.
   */
  String nodeIdText(NodeId id) {
    String text = id.toParseableString();
    int index = id.getNamespaceIndex().intValue();
    if (index == 0) {
      return "ns=0;" + text;
    }
    String uri = namespaces.get(id.getNamespaceIndex());
    if (uri == null || !text.startsWith("ns=")) {
      return text;
    }
    return "nsu=" + uri + text.substring(text.indexOf(';'));
  }

  private static List<String> append(List<String> path, String name) {
    List<String> out = new ArrayList<>(path.size() + 1);
    out.addAll(path);
    out.add(name);
    return out;
  }

  private record Level(NodeId nodeId, List<String> path) {}
}
