package io.fleetprov.claims;

/** The provisioning template the tests use: the thing is named after the serial and gets its own topics only. */
final class TestTemplates {

    static final String ROLE = "arn:aws:iam::123456789012:role/fleetprov-provisioning";

    static final String DEVICE_TEMPLATE = """
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
                  "Properties": {"ThingName": {"Ref": "SerialNumber"}}
                }
              }
            }
            """;

    private TestTemplates() {}
}
