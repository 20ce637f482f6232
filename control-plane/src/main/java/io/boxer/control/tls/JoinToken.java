package io.boxer.control.tls;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

/**
 * The cluster's shared secret. Everything the cluster's trust needs is derived from it, so a node needs the
 * token alone to join (the kubeadm discovery-token pattern, with the CA pin derived instead of passed):
 *
 * <ul>
 *   <li>the <b>join key</b>, 32 bytes a node sends to prove it holds the token (the token itself never
 *       travels);
 *   <li>the <b>cluster CA key</b>, an Ed25519 key pair: the seed signs certificates with it, and a node
 *       that derives the same public key from its token can verify the seed before sending anything secret.
 *       A wrong token gives another key, so the TLS handshake with the real seed fails at once.
 * </ul>
 *
 * <p>Derivation: HKDF-SHA256 (RFC 5869) of the token, expanded with distinct labels. The token must be
 * random: anyone who connects sees the CA's public key and could test guesses of a weak token against it.
 * Generated tokens carry 256 random bits; shorter than {@value #MIN_LENGTH} characters is refused. (A slow
 * KDF such as scrypt would cost every node over half a second of its cold start.) {@link #toString()} never
 * shows the token. Immutable.
 */
public final class JoinToken {
  /** The shortest token accepted. 24 characters of a generated token's alphabet carry 144 bits. */
  public static final int MIN_LENGTH = 24;
  /** The longest token accepted. */
  public static final int MAX_LENGTH = 256;

  private static final String GENERATED_PREFIX = "boxer_";
  private static final byte[] SALT = "boxer join token v1".getBytes(StandardCharsets.US_ASCII);

  private final byte[] master;

  private JoinToken(byte[] master) {
    this.master = master;
  }

  /**
   * Validates a token from the command line, the environment or a file and derives its keys. The message of
   * the exception never contains the token.
   *
   * @throws IllegalArgumentException if the token is shorter than {@value #MIN_LENGTH} or longer than
   *     {@value #MAX_LENGTH} characters or contains anything but printable ASCII without spaces
   */
  public static JoinToken parse(String token) {
    if (token == null) {
      throw new IllegalArgumentException("join token : missing");
    }
    if (token.length() < MIN_LENGTH || token.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("join token : " + token.length() + " characters (expected: "
          + MIN_LENGTH + ".." + MAX_LENGTH + "; `boxer seed` generates a good one)");
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new IllegalArgumentException("join token : character " + (i + 1)
            + " is not printable ASCII (expected: no spaces or control characters)");
      }
    }
    HKDFBytesGenerator extract = new HKDFBytesGenerator(new SHA256Digest());
    extract.init(new HKDFParameters(token.getBytes(StandardCharsets.US_ASCII), SALT, null));
    byte[] master = new byte[32];
    extract.generateBytes(master, 0, master.length);
    return new JoinToken(master);
  }

  /** A new token with 256 random bits: {@code boxer_} and 43 base64url characters. */
  public static String generate(SecureRandom random) {
    byte[] bits = new byte[32];
    random.nextBytes(bits);
    return GENERATED_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
  }

  /** The 32-byte proof of the token that a node sends in its join request. */
  public byte[] joinKey() {
    return expand("boxer join key v1");
  }

  /** Compares a received join key with this token's, in constant time. */
  public boolean matchesJoinKey(byte[] received) {
    return received != null && java.security.MessageDigest.isEqual(joinKey(), received);
  }

  /** The cluster CA's Ed25519 public key, as every member derives it to verify the seed. */
  public java.security.PublicKey caPublicKey() {
    return caKeyPair().getPublic();
  }

  /** The cluster CA's Ed25519 key pair, the same on every host that holds this token. */
  public KeyPair caKeyPair() {
    Ed25519PrivateKeyParameters privateKey = new Ed25519PrivateKeyParameters(expand("boxer cluster ca v1"), 0);
    try {
      KeyFactory ed25519 = KeyFactory.getInstance("Ed25519");
      return new KeyPair(
          ed25519.generatePublic(new X509EncodedKeySpec(
              SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(privateKey.generatePublicKey()).getEncoded())),
          ed25519.generatePrivate(new PKCS8EncodedKeySpec(
              PrivateKeyInfoFactory.createPrivateKeyInfo(privateKey).getEncoded())));
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("this JDK cannot represent Ed25519 keys", e);
    }
  }

  private byte[] expand(String label) {
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(HKDFParameters.skipExtractParameters(master, label.getBytes(StandardCharsets.US_ASCII)));
    byte[] out = new byte[32];
    hkdf.generateBytes(out, 0, out.length);
    return out;
  }

  @Override
  public String toString() {
    return "JoinToken[redacted]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JoinToken other && Arrays.equals(master, other.master);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(master);
  }
}
