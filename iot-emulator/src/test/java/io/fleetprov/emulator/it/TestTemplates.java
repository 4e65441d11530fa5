package io.fleetprov.emulator.it;

/** Templates and policies the integration tests provision with. */
final class TestTemplates {

    static final String ROLE = "arn:aws:iam::123456789012:role/fleetprov-provisioning";

    /** Like the AWS device SDK sample: thing named after the serial, its own topics only. */
    static final String DEVICE_TEMPLATE = """
            {
              "Parameters": {
                "SerialNumber": {"Type": "String"},
                "DeviceLocation": {"Type": "String", "Default": "Seattle"},
                "AWS::IoT::Certificate::Id": {"Type": "String"}
              },
              "Mappings": {"LocationTable": {"Seattle": {"LocationUrl": "https://example.aws"}}},
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
                  "Properties": {
                    "ThingName": {"Fn::Join": ["", ["device-", {"Ref": "SerialNumber"}]]},
                    "AttributePayload": {"location": {"Ref": "DeviceLocation"}}
                  },
                  "OverrideSettings": {"AttributePayload": "MERGE"}
                }
              },
              "DeviceConfiguration": {
                "FallbackUrl": "https://www.example.com/test-site",
                "LocationUrl": {"Fn::FindInMap": ["LocationTable", {"Ref": "DeviceLocation"}, "LocationUrl"]}
              }
            }
            """;

    static final String ALLOW_ALL_POLICY = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:*", "Resource": "*"}]}
            """;

    private TestTemplates() {}
}
