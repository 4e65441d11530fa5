package io.fleetprov.audit.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.Test;

/**
 * The direct canonical writer against the reference canonicalizer the chain was defined with: byte for byte equal
 * wherever it writes, and it declines (so the reference is used) where JCS's number rules would round.
 */
class CanonicalJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void writesWhatTheReferenceWritesForStringsKeysAndIntegers() throws Exception {
        List<String> documents = List.of(
                "{}",
                "[]",
                "{\"b\":1,\"a\":[true,false,null,\"x\"],\"A\":{\"z\":-9007199254740992,\"y\":9007199254740992}}",
                "{\"esc\":\"\\\" \\\\ / \\b \\f \\n \\r \\t \\u0000 \\u0001 \\u001f \\u007f \\u2028 \\u00e9\"}",
                "{\"\\ud83d\\ude00\":1,\"\\uffff\":2,\"\\u00e9\":3,\"e\":4,\"\":5,\"aa\":6,\"a\":7}",
                "{\"lone\":\"\\ud800 and \\udc00\",\"deep\":[[[[{\"k\":[0,-1,123456789012]}]]]]}",
                "{\"timestamp\":1772600767123,\"clientId\":\"dev-1\",\"eventType\":\"connected\"}");
        for (String document : documents) {
            JsonNode tree = JSON.readTree(document);
            StringBuilder out = new StringBuilder();
            assertThat(CanonicalJson.write(tree, out)).as(document).isTrue();
            assertThat(out.toString().getBytes(StandardCharsets.UTF_8))
                    .as(document)
                    .isEqualTo(new JsonCanonicalizer(JSON.writeValueAsString(tree)).getEncodedUTF8());
        }
    }

    @Test
    void randomStringsAndKeysMatchTheReference() throws Exception {
        Random random = new Random(8785);
        for (int n = 0; n < 2000; n++) {
            var node = JSON.createObjectNode();
            for (int f = 0; f < 4; f++) {
                node.put(randomText(random), randomText(random));
            }
            node.putArray("list").add(randomText(random)).add(random.nextInt()).add(random.nextBoolean());
            StringBuilder out = new StringBuilder();
            assertThat(CanonicalJson.write(node, out)).isTrue();
            assertThat(out.toString().getBytes(StandardCharsets.UTF_8))
                    .isEqualTo(new JsonCanonicalizer(JSON.writeValueAsString(node)).getEncodedUTF8());
        }
    }

    @Test
    void leavesFractionsAndLargeIntegersToTheReference() throws Exception {
        for (String document : List.of(
                "{\"a\":1.5}", "{\"a\":9007199254740993}", "{\"a\":1e400}", "{\"a\":123456789012345678901234567890}")) {
            assertThat(CanonicalJson.write(JSON.readTree(document), new StringBuilder()))
                    .as(document)
                    .isFalse();
        }
    }

    private static String randomText(Random random) {
        char[] pool = {'a', 'Z', '0', '"', '\\', '/', '\n', '\u0001', '\u001f', '\u007f', '\u00e9', '\u2028', '\uffff'};
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(8);
        for (int i = 0; i < length; i++) {
            if (random.nextInt(10) == 0) {
                text.appendCodePoint(0x1F600 + random.nextInt(50));
            } else {
                text.append(pool[random.nextInt(pool.length)]);
            }
        }
        return text.toString();
    }
}
