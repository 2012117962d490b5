package io.storefleet.protocol.catalogue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/protocol.md's routing table is the one the catalogue renders. */
class RoutingTableDocTest {
  private static final Path DOC = Path.of("..", "docs", "protocol.md");

  @Test
  void theDocumentedRoutingTableIsTheCataloguesOwn() throws IOException {
    assertTrue(Files.exists(DOC), "run from the protocol module: " + DOC.toAbsolutePath());
    String current = RoutingTable.current(Files.readString(DOC, StandardCharsets.UTF_8));
    assertNotNull(current, "docs/protocol.md lost its routing table markers: " + RoutingTable.BEGIN);
    assertEquals(RoutingTable.render(Catalogue.get()), current,
        "the routing table in docs/protocol.md differs from the catalogue; the catalogue is right."
            + " Regenerate it from the project root with:\n"
            + "  ./mvnw -B -q -pl protocol compile && java -cp protocol/target/classes"
            + " io.storefleet.protocol.catalogue.RoutingTable docs/protocol.md");
  }

  @Test
  void replacingTheTableKeepsTheRestOfTheDocument() {
    String doc = "before\n" + RoutingTable.BEGIN + "\nold\n" + RoutingTable.END + "\nafter\n";
    String out = RoutingTable.replace(doc, "| new |\n");
    assertEquals("before\n" + RoutingTable.BEGIN + "\n\n| new |\n\n" + RoutingTable.END + "\nafter\n", out);
    assertEquals("| new |\n", RoutingTable.current(out));
  }
}
