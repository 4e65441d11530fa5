package io.fleetprov.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetprov.emulator.seed.SeedFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the demo seeds the emulator with: a device template whose pre-provisioning hook is claim-service, a user
 * pool with an installer and an auditor, and THING registry events on (audit-service records them).
 */
final class DemoSeed {

    static final String TEMPLATE = "fleetprov-device";
    static final String USER_POOL_ID = "us-east-1_fleetprovDemo";
    static final String APP_CLIENT_ID = "fleetprovinstallerapp00001";
    static final String INSTALLER = "installer";
    static final String AUDITOR = "auditor";

    private static final String TEMPLATE_BODY = """
            {
              "Parameters": {
                "SerialNumber": {"Type": "String"},
                "AWS::IoT::Certificate::Id": {"Type": "String"}
              },
              "Resources": {
                "thing": {"Type": "AWS::IoT::Thing",
                          "Properties": {"ThingName": {"Ref": "SerialNumber"},
                                         "AttributePayload": {"serial": {"Ref": "SerialNumber"}}}},
                "certificate": {"Type": "AWS::IoT::Certificate",
                                "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}, "Status": "ACTIVE"}},
                "policy": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyName": "fleetprov-device-policy"}}
              },
              "DeviceConfiguration": {"telemetryTopic": {"Fn::Sub": "devices/${SerialNumber}/telemetry"}}
            }
            """;

    private static final String DEVICE_POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "iot:Connect",
               "Resource": "arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}"},
              {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
               "Resource": "arn:aws:iot:*:*:topic/devices/${iot:Connection.Thing.ThingName}/*"},
              {"Effect": "Allow", "Action": "iot:Subscribe",
               "Resource": "arn:aws:iot:*:*:topicfilter/devices/${iot:Connection.Thing.ThingName}/*"}
            ]}""";

    private DemoSeed() {}

    /** Writes the seed file; the hook is claim-service's endpoint on {@code claimServicePort}. */
    static Path write(Path file, int claimServicePort, String installerPassword, String auditorPassword)
            throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode body = json.readTree(TEMPLATE_BODY);
        var template = new SeedFile.Template(
                TEMPLATE,
                "Devices provisioned by trusted installers",
                body,
                true,
                null,
                new SeedFile.Hook("http://localhost:" + claimServicePort + "/v1/hooks/pre-provisioning", "2020-04-01"),
                null);
        var pool = new SeedFile.UserPoolSeed(
                USER_POOL_ID,
                "fleetprov-demo",
                List.of(new SeedFile.ClientSeed(APP_CLIENT_ID, "installer-app")),
                List.of("installer", "admin", "auditor"),
                List.of(
                        new SeedFile.UserSeed(INSTALLER, installerPassword, List.of("installer"), Map.of()),
                        new SeedFile.UserSeed(AUDITOR, auditorPassword, List.of("auditor"), Map.of())));
        var seed = new SeedFile(
                List.of(template),
                List.of(new SeedFile.PolicySeed("fleetprov-device-policy", json.readTree(DEVICE_POLICY))),
                Map.of("THING", new SeedFile.EventConfiguration(true)),
                List.of(pool));
        json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), seed);
        return file;
    }
}
