package io.fleetprov.emulator.cognito;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminListGroupsForUserResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.GroupType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidParameterException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ListUsersResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserType;

/** DescribeUserPool, ListUsers and AdminListGroupsForUser through the AWS SDK for Java v2. */
class CognitoDirectoryIT {

    private CognitoTestServer server;
    private CognitoIdentityProviderClient cognito;
    private String poolId;

    @BeforeEach
    void start() throws Exception {
        server = new CognitoTestServer();
        cognito = server.sdk();
        poolId =
                cognito.createUserPool(r -> r.poolName("installers")).userPool().id();
        // AdminCreateUser only: the directory operations need no passwords set, and hashing them is the slow part.
        for (String name : List.of("alice", "albert", "bob", "carol", "dave")) {
            cognito.adminCreateUser(r -> r.userPoolId(poolId)
                    .username(name)
                    .temporaryPassword("Temp-pass-1")
                    .userAttributes(attr("email", name + "@" + (name.startsWith("a") ? "a.example" : "example.com"))));
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void describeUserPoolShowsThePoolItsUsersAndItsPolicy() {
        UserPoolType pool = cognito.describeUserPool(r -> r.userPoolId(poolId)).userPool();

        assertThat(pool.id()).isEqualTo(poolId);
        assertThat(pool.name()).isEqualTo("installers");
        assertThat(pool.arn()).endsWith(":userpool/" + poolId);
        assertThat(pool.estimatedNumberOfUsers()).isEqualTo(5);
        assertThat(pool.policies().passwordPolicy().minimumLength()).isEqualTo(8);
        assertThat(pool.policies().passwordPolicy().temporaryPasswordValidityDays())
                .isEqualTo(7);
        assertThatThrownBy(() -> cognito.describeUserPool(r -> r.userPoolId("us-east-1_missing")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void listUsersPagesThroughEveryoneOnce() {
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String current = token;
            ListUsersResponse page =
                    cognito.listUsers(r -> r.userPoolId(poolId).limit(2).paginationToken(current));
            page.users().forEach(u -> seen.add(u.username()));
            token = page.paginationToken();
            pages++;
        } while (token != null);

        assertThat(seen).containsExactly("albert", "alice", "bob", "carol", "dave");
        assertThat(pages).isEqualTo(3);
        assertThat(cognito.listUsers(r -> r.userPoolId(poolId)).users()).hasSize(5);
    }

    @Test
    void listUsersFiltersOnUsernameAndEmailExactlyOrByPrefix() {
        assertThat(usernames("username = \"alice\"")).containsExactly("alice");
        assertThat(usernames("username ^= \"al\"")).containsExactly("albert", "alice");
        assertThat(usernames("email = \"bob@example.com\"")).containsExactly("bob");
        assertThat(usernames("email ^= \"ca\"")).containsExactly("carol");
        assertThat(usernames("email=\"nobody@example.com\"")).isEmpty();
        assertThat(usernames("cognito:user_status = \"FORCE_CHANGE_PASSWORD\"")).hasSize(5);

        UserType alice = cognito.listUsers(
                        r -> r.userPoolId(poolId).filter("username = \"alice\"").attributesToGet("email"))
                .users()
                .get(0);
        assertThat(alice.attributes()).extracting(AttributeType::name).containsExactly("email");
    }

    @Test
    void malformedFiltersLimitsAndTokensAreInvalidParameters() {
        for (String filter : List.of("username = alice", "username ~ \"a\"", "custom:x = \"1\"", "\"alice\"")) {
            assertThatThrownBy(() -> cognito.listUsers(r -> r.userPoolId(poolId).filter(filter)))
                    .as(filter)
                    .isInstanceOf(InvalidParameterException.class);
        }
        assertThatThrownBy(() -> cognito.listUsers(r -> r.userPoolId(poolId).limit(61)))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> cognito.listUsers(r -> r.userPoolId(poolId).paginationToken("%%%")))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void adminListGroupsForUserListsTheUsersGroupsInPages() {
        for (String group : List.of("installer", "auditor", "admin")) {
            cognito.createGroup(r -> r.userPoolId(poolId).groupName(group));
        }
        cognito.adminAddUserToGroup(r -> r.userPoolId(poolId).username("alice").groupName("installer"));
        cognito.adminAddUserToGroup(r -> r.userPoolId(poolId).username("alice").groupName("auditor"));

        AdminListGroupsForUserResponse first = cognito.adminListGroupsForUser(
                r -> r.userPoolId(poolId).username("alice").limit(1));
        assertThat(first.groups()).extracting(GroupType::groupName).containsExactly("auditor");
        AdminListGroupsForUserResponse second = cognito.adminListGroupsForUser(
                r -> r.userPoolId(poolId).username("alice").limit(1).nextToken(first.nextToken()));
        assertThat(second.groups()).extracting(GroupType::groupName).containsExactly("installer");
        assertThat(second.nextToken()).isNull();

        assertThat(cognito.adminListGroupsForUser(r -> r.userPoolId(poolId).username("bob"))
                        .groups())
                .isEmpty();
        assertThatThrownBy(() ->
                        cognito.adminListGroupsForUser(r -> r.userPoolId(poolId).username("nobody")))
                .isInstanceOf(UserNotFoundException.class);
    }

    private List<String> usernames(String filter) {
        return cognito.listUsers(r -> r.userPoolId(poolId).filter(filter)).users().stream()
                .map(UserType::username)
                .toList();
    }

    private static AttributeType attr(String name, String value) {
        return AttributeType.builder().name(name).value(value).build();
    }
}
