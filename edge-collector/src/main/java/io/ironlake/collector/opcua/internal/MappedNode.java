package io.ironlake.collector.opcua.internal;

import io.ironlake.collector.config.NodeMapping;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

/**
 * A node the source reads, resolved against the server's namespace table.
 *
 * @param mapping where its values go in the plant model
 * @param nodeId its node id on this server
 */
public record MappedNode(NodeMapping mapping, NodeId nodeId) {}
