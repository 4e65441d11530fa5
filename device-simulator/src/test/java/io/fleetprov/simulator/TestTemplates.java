package io.fleetprov.simulator;

import io.fleetprov.emulator.IotEmulator;

/** The provisioning template the tests use: the AWS device SDK sample's, with a thing-scoped device policy. */
public final class TestTemplates {

    public static final String TEMPLATE = "sim-template";
    public static final String ROLE = "arn:aws:iam::123456789012:role/fleetprov-provisioning";

    public static final String DEVICE_TEMPLATE = """
            {
              "Parameters": {
                "SerialNumber": {"Type": "String"},
                "AWS::IoT::Certificate::Id": {"Type": "String"}
              },
              "Resources": {
                "certificate": {
                  "Type": "AWS::IoT::Certificate",
                  "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}, "Status": "Active"}
                },
                "policy": {
                  "Type": "AWS::IoT::Policy",
                  "Properties": {"PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                      {"Effect": "Allow", "Action": "iot:Connect",
                       "Resource": "arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}"},
                      {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
                       "Resource": "arn:aws:iot:*:*:topic/devices/${iot:Connection.Thing.ThingName}/*"},
                      {"Effect": "Allow", "Action": "iot:Subscribe",
                       "Resource": "arn:aws:iot:*:*:topicfilter/devices/${iot:Connection.Thing.ThingName}/*"}
                    ]}}
                },
                "thing": {
                  "Type": "AWS::IoT::Thing",
                  "Properties": {"ThingName": {"Fn::Join": ["", ["device-", {"Ref": "SerialNumber"}]]}}
                }
              },
              "DeviceConfiguration": {"Greeting": "hello"}
            }
            """;

    private TestTemplates() {}

    public static void install(IotEmulator emulator) {
        emulator.registry()
                .templates()
                .create(TEMPLATE, "device-simulator tests", DEVICE_TEMPLATE, true, ROLE, null, null);
    }
}
