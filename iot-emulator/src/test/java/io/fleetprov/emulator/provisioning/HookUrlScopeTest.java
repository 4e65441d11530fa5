package io.fleetprov.emulator.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which hook URLs the hook headers (the shared secret) may go to. */
class HookUrlScopeTest {

    private final HookUrlScope scope =
            new HookUrlScope(List.of("http://fp-fleetprov-claim-service:8080/v1/hooks/pre-provisioning"));

    @Test
    void theReleasesHookUrlAndPathsBelowItAreCovered() {
        assertThat(scope.allows("http://fp-fleetprov-claim-service:8080/v1/hooks/pre-provisioning"))
                .isTrue();
        assertThat(scope.allows("HTTP://FP-fleetprov-claim-service:8080/v1/hooks/pre-provisioning/x"))
                .isTrue();
    }

    @Test
    void lookAlikesAreNotCovered() {
        assertThat(scope.allows("http://fp-fleetprov-claim-service:8080.evil.example/v1/hooks/pre-provisioning"))
                .isFalse();
        assertThat(scope.allows("http://fp-fleetprov-claim-service.evil.example:8080/v1/hooks/pre-provisioning"))
                .isFalse();
        assertThat(scope.allows("http://fp-fleetprov-claim-service:8080@evil.example/v1/hooks/pre-provisioning"))
                .isFalse();
        assertThat(scope.allows("http://user@fp-fleetprov-claim-service:8080/v1/hooks/pre-provisioning"))
                .isFalse();
        assertThat(scope.allows("http://fp-fleetprov-claim-service:8080/v1/hooks/pre-provisioning-other"))
                .isFalse();
        assertThat(scope.allows("http://fp-fleetprov-claim-service:8080/v1/hooks/pre-provisioning/../../evil"))
                .isFalse();
        assertThat(scope.allows("https://fp-fleetprov-claim-service:8080/v1/hooks/pre-provisioning"))
                .isFalse();
        assertThat(scope.allows("http://fp-fleetprov-claim-service:8081/v1/hooks/pre-provisioning"))
                .isFalse();
        assertThat(scope.allows("not a url")).isFalse();
    }

    @Test
    void defaultPortsCompareEqualToExplicitOnes() {
        HookUrlScope https = new HookUrlScope(List.of("https://claims.example.com/v1/hooks/"));
        assertThat(https.allows("https://claims.example.com:443/v1/hooks/pre-provisioning"))
                .isTrue();
        assertThat(https.allows("http://claims.example.com/v1/hooks/pre-provisioning"))
                .isFalse();
    }

    @Test
    void noPrefixKeepsTheHeadersOnEveryUrl() {
        assertThat(new HookUrlScope(List.of()).allows("http://anywhere.example/hook"))
                .isTrue();
    }

    @Test
    void aPrefixMustBeAnHttpUrlWithAHostAndNothingElse() {
        assertThatThrownBy(() -> HookUrlScope.validatePrefix("claims:8080/v1/hooks"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HookUrlScope.validatePrefix("ftp://claims/v1/hooks"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HookUrlScope.validatePrefix("http://claims/v1/hooks?x=1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HookUrlScope.validatePrefix("http://u@claims/v1/hooks"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
