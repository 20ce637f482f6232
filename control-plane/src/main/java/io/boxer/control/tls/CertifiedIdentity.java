package io.boxer.control.tls;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;

/**
 * Who a Boxer certificate names: the seed (URI SAN {@value #SEED_URI}), or member {@code id} at external ip
 * {@code ip} (URI SAN {@code boxer://node/ID} and an IP SAN). Parsing only: whether the certificate is
 * genuine is {@link ClusterTrust}'s question.
 *
 * @param nodeId the member id, 0 for the seed
 * @param ip the member's external ip, null for the seed
 */
public record CertifiedIdentity(Kind kind, long nodeId, InetAddress ip) {
  /** The URI SAN of the seed's certificate. */
  public static final String SEED_URI = "boxer://seed";
  /** The prefix of a member certificate's URI SAN; the member id follows. */
  public static final String NODE_URI_PREFIX = "boxer://node/";

  private static final int SAN_URI = 6;
  private static final int SAN_IP = 7;

  public enum Kind { SEED, NODE }

  /** The seed's identity. */
  public static CertifiedIdentity seed() {
    return new CertifiedIdentity(Kind.SEED, 0, null);
  }

  /** Member {@code id} at {@code ip}. */
  public static CertifiedIdentity node(long id, InetAddress ip) {
    if (id < 1) {
      throw new IllegalArgumentException("node id : " + id + " (expected: >= 1)");
    }
    return new CertifiedIdentity(Kind.NODE, id, ip);
  }

  /** The URI SAN naming this identity. */
  public String uri() {
    return kind == Kind.SEED ? SEED_URI : NODE_URI_PREFIX + nodeId;
  }

  /**
   * Reads the identity a certificate names.
   *
   * @throws CertificateException if it names none, or more than one, or a member without exactly one ip
   */
  public static CertifiedIdentity of(X509Certificate certificate) throws CertificateException {
    Collection<List<?>> names = certificate.getSubjectAlternativeNames();
    if (names == null) {
      throw new CertificateParsingException("no subject alternative names (expected: a Boxer certificate)");
    }
    String uri = null;
    InetAddress ip = null;
    for (List<?> name : names) {
      int type = (Integer) name.get(0);
      if (type == SAN_URI) {
        if (uri != null) {
          throw new CertificateParsingException("more than one URI name (expected: one Boxer identity)");
        }
        uri = (String) name.get(1);
      } else if (type == SAN_IP) {
        if (ip != null) {
          throw new CertificateParsingException("more than one IP address (expected: one external ip)");
        }
        try {
          ip = InetAddress.getByName((String) name.get(1)); // an ip literal: no lookup
        } catch (UnknownHostException e) {
          throw new CertificateParsingException("unparsable IP address " + name.get(1));
        }
      }
    }
    if (SEED_URI.equals(uri)) {
      return seed();
    }
    if (uri == null || !uri.startsWith(NODE_URI_PREFIX)) {
      throw new CertificateParsingException("URI name " + uri + " (expected: " + SEED_URI + " or "
          + NODE_URI_PREFIX + "ID)");
    }
    long id;
    try {
      id = Long.parseLong(URI.create(uri).getPath().substring(1));
    } catch (RuntimeException e) {
      throw new CertificateParsingException("URI name " + uri + " (expected: " + NODE_URI_PREFIX + "ID)");
    }
    if (id < 1 || ip == null) {
      throw new CertificateParsingException("member certificate " + uri + " (expected: id >= 1 and one ip)");
    }
    return node(id, ip);
  }
}
