package io.fleetprov.emulator.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PaginationTest {

    private final List<Integer> items = List.of(1, 2, 3, 4, 5);

    @Test
    void pagesUntilTheLastItemThenStops() {
        List<Integer> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            Pagination.Page<Integer> page = Pagination.page(items, token, 2);
            seen.addAll(page.items());
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertThat(seen).containsExactly(1, 2, 3, 4, 5);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void anExactFitHasNoNextToken() {
        assertThat(Pagination.page(items, null, 5).nextToken()).isNull();
        assertThat(Pagination.page(List.of(), null, null).items()).isEmpty();
    }

    @Test
    void refusesForgedTokens() {
        assertThatThrownBy(() -> Pagination.page(items, "not-a-token", 2))
                .isInstanceOfSatisfying(
                        AwsException.class, e -> assertThat(e.errorType()).isEqualTo("InvalidRequestException"));
        assertThatThrownBy(() -> Pagination.page(
                        items, java.util.Base64.getUrlEncoder().encodeToString("fleetprov-page:-1".getBytes()), 2))
                .isInstanceOf(AwsException.class);
    }
}
