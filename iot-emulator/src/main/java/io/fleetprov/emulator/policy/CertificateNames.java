package io.fleetprov.emulator.policy;

import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * The subject and issuer fields of a certificate under the names AWS IoT's {@code iot:Certificate.Subject.*} and
 * {@code iot:Certificate.Issuer.*} variables use.
 */
public final class CertificateNames {

    private static final Map<ASN1ObjectIdentifier, String> FIELDS = fields();

    private CertificateNames() {}

    public static Map<String, List<String>> subject(X509Certificate certificate) {
        return names(X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()));
    }

    public static Map<String, List<String>> issuer(X509Certificate certificate) {
        return names(X500Name.getInstance(certificate.getIssuerX500Principal().getEncoded()));
    }

    private static Map<String, List<String>> names(X500Name name) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (RDN rdn : name.getRDNs()) {
            for (AttributeTypeAndValue attribute : rdn.getTypesAndValues()) {
                String field = FIELDS.get(attribute.getType());
                if (field != null) {
                    values.computeIfAbsent(field, k -> new java.util.ArrayList<>())
                            .add(IETFUtils.valueToString(attribute.getValue()));
                }
            }
        }
        values.replaceAll((k, v) -> List.copyOf(v));
        return values;
    }

    // The field names of AWS's "X.509 Certificate Subject/Issuer attributes" policy variables.
    private static Map<ASN1ObjectIdentifier, String> fields() {
        Map<ASN1ObjectIdentifier, String> fields = new LinkedHashMap<>();
        fields.put(BCStyle.C, "Country");
        fields.put(BCStyle.O, "Organization");
        fields.put(BCStyle.OU, "OrganizationalUnit");
        fields.put(BCStyle.DN_QUALIFIER, "DistinguishedNameQualifier");
        fields.put(BCStyle.ST, "State");
        fields.put(BCStyle.CN, "CommonName");
        fields.put(BCStyle.SERIALNUMBER, "SerialNumber");
        fields.put(BCStyle.L, "Locality");
        fields.put(BCStyle.T, "Title");
        fields.put(BCStyle.SURNAME, "Surname");
        fields.put(BCStyle.GIVENNAME, "GivenName");
        fields.put(BCStyle.INITIALS, "Initials");
        fields.put(BCStyle.PSEUDONYM, "Pseudonym");
        fields.put(BCStyle.GENERATION, "GenerationQualifier");
        return Map.copyOf(fields);
    }
}
