package io.boxer.invoker;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks an AWS Signature Version 4 {@code Authorization} header the way an AWS service does, for one access key
 * and secret: recomputes the canonical request, the string to sign and the signature, and compares. For
 * {@link LambdaInvokeStandIn}; it knows what Lambda's requests need (no query string, path segments encoded
 * twice as for every service but S3).
 */
final class SigV4Verifier {
  private static final Pattern AUTHORIZATION = Pattern.compile("AWS4-HMAC-SHA256 Credential=(?<key>[^/]+)/"
      + "(?<scope>(?<date>\\d{8})/(?<region>[^/]+)/(?<service>[^/]+)/aws4_request), "
      + "SignedHeaders=(?<headers>[a-z0-9;-]+), Signature=(?<signature>[0-9a-f]{64})");

  private final String accessKey;
  private final String secretKey;

  SigV4Verifier(String accessKey, String secretKey) {
    this.accessKey = accessKey;
    this.secretKey = secretKey;
  }

  /** Null when the request is signed by this key for {@code service}, else why not. */
  String problem(String method, String rawPath, Map<String, String> lowerCaseHeaders, byte[] body, String service) {
    String authorization = lowerCaseHeaders.get("authorization");
    Matcher auth = authorization == null ? null : AUTHORIZATION.matcher(authorization);
    if (auth == null || !auth.matches()) {
      return "no AWS4-HMAC-SHA256 Authorization header";
    }
    if (!auth.group("key").equals(accessKey)) {
      return "The security token included in the request is invalid: unknown access key " + auth.group("key");
    }
    if (!auth.group("service").equals(service)) {
      return "credential scope for service " + auth.group("service") + " (expected: " + service + ")";
    }
    String amzDate = lowerCaseHeaders.get("x-amz-date");
    if (amzDate == null || !amzDate.startsWith(auth.group("date"))) {
      return "X-Amz-Date " + amzDate + " does not match the credential scope";
    }
    String[] signed = auth.group("headers").split(";");
    if (!Arrays.asList(signed).contains("host")) {
      return "host is not signed";
    }
    String canonicalHeaders = Arrays.stream(signed)
        .map(name -> name + ":" + String.valueOf(lowerCaseHeaders.get(name)).strip().replaceAll(" +", " ") + "\n")
        .collect(Collectors.joining());
    String payloadHash = lowerCaseHeaders.getOrDefault("x-amz-content-sha256", hex(sha256(body)));
    String canonicalRequest = String.join("\n", method, encodeSegments(rawPath), "", canonicalHeaders,
        auth.group("headers"), payloadHash);
    String stringToSign = String.join("\n", "AWS4-HMAC-SHA256", amzDate, auth.group("scope"),
        hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8))));
    byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), auth.group("date"));
    key = hmac(key, auth.group("region"));
    key = hmac(key, auth.group("service"));
    key = hmac(key, "aws4_request");
    String expected = hex(hmac(key, stringToSign));
    return expected.equals(auth.group("signature")) ? null
        : "The request signature we calculated does not match the signature you provided.";
  }

  /** The path as it arrived (already encoded once), each segment URI-encoded again. */
  private static String encodeSegments(String rawPath) {
    return Arrays.stream(rawPath.split("/", -1)).map(SigV4Verifier::uriEncode).collect(Collectors.joining("/"));
  }

  private static String uriEncode(String segment) {
    StringBuilder out = new StringBuilder();
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-_.~".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
      }
    }
    return out.toString();
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
