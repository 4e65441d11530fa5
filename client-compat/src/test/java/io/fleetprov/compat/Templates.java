package io.fleetprov.compat;

/** The provisioning template of the SDK samples' guide: thing named after the serial, its own topics only. */
final class Templates {

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
                  "Properties": {"ThingName": {"Fn::Join": ["", ["device-", {"Ref": "SerialNumber"}]]}}
                }
              },
              "DeviceConfiguration": {"FallbackUrl": "https://www.example.com/test-site"}
            }
            """;

    private Templates() {}
}
