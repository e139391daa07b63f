package dev.helloworld.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.spi.ServiceGraph.Edge;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShopTest {

    @Test
    void theRolesAreEveryCallerAndEveryHttpCalleeEntryFirst() {
        assertEquals(List.of("frontend", "orders", "inventory", "payments"), Shop.roles());
    }

    @Test
    void theQueueDeliversToTheNotificationService() {
        assertEquals(List.of("notifications"), Shop.consumers());
    }

    @Test
    void everyCalleeIsARoleOrAKnownDependencyOfTheEdgesKind() {
        for (Edge edge : Shop.EDGES) {
            if (edge.kind().equals(Shop.HTTP) || edge.kind().equals(Shop.RPC)) {
                assertTrue(Shop.roles().contains(edge.callee()), edge.line());
            } else if (edge.kind().equals(Shop.QUEUE)) {
                assertTrue(edge.callee().equals(MessageQueue.node()) || Shop.consumers().contains(edge.callee()),
                        edge.line());
            } else {
                Dependency dependency = Dependency.ofNode(edge.callee()).orElseThrow(() -> new AssertionError(edge.line()));
                assertEquals(dependency.kind(), edge.kind(), edge.line());
            }
        }
    }

    @Test
    void aServiceCallsItsEdgesInTheDeclaredOrder() {
        assertEquals(List.of("postgresql/orders", "inventory", "payments", "kafka/order-events"),
                Shop.callsOf("orders").stream().map(Edge::callee).toList());
        assertEquals(List.of(), Shop.callsOf("payments"));
    }

    @Test
    void thePaymentsAreReachedOverRpcWithAMethodDeclaredForThem() {
        assertEquals(List.of("orders -> payments (rpc)"),
                Shop.EDGES.stream().filter(e -> e.kind().equals(Shop.RPC)).map(Edge::line).toList());
        assertTrue(Shop.reachedOverRpc("payments"));
        assertTrue(!Shop.reachedOverRpc("inventory"));
        assertEquals("shop.payments.v1.PaymentService/Charge", Rpc.method("payments"));
    }

    @Test
    void theQueryTextsCarryPlaceholdersNotValues() {
        for (Dependency dependency : Dependency.values()) {
            assertTrue(!dependency.query().matches(".*(\\d|'|\").*"), "sanitised: " + dependency.query());
        }
    }
}
