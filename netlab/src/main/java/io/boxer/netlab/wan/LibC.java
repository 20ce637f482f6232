package io.boxer.netlab.wan;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.nio.ByteBuffer;

/**
 * The few libc calls the delayer needs, bound with JNA's direct mapping (the fastest JNA path: no reflection
 * per call). Linux only; {@code size_t}/{@code ssize_t} are mapped to {@code long}, so 64-bit only. Calls that
 * fail throw {@link LastErrorException} carrying errno. Stateless and thread-safe.
 */
final class LibC {
  static final int AF_NETLINK = 16;
  static final int SOCK_RAW = 3;
  static final int SOCK_CLOEXEC = 0x80000;
  static final int NETLINK_NETFILTER = 12;
  static final int SOL_SOCKET = 1;
  static final int SO_RCVBUFFORCE = 33;
  static final int SO_RCVTIMEO = 20;
  static final int O_RDONLY = 0;
  static final int O_CLOEXEC = 0x80000;
  static final int CLONE_NEWNET = 0x40000000;
  static final int PR_SET_TIMERSLACK = 29;
  static final int EAGAIN = 11;
  static final int EINTR = 4;
  static final int ENOBUFS = 105;

  static {
    Native.register(Platform.C_LIBRARY_NAME);
  }

  private LibC() {}

  static native int socket(int domain, int type, int protocol) throws LastErrorException;

  static native int bind(int fd, byte[] address, int length) throws LastErrorException;

  static native int setsockopt(int fd, int level, int name, int[] value, int length) throws LastErrorException;

  static native int setsockopt(int fd, int level, int name, long[] value, int length) throws LastErrorException;

  static native long send(int fd, ByteBuffer buffer, long length, int flags) throws LastErrorException;

  static native long recv(int fd, ByteBuffer buffer, long length, int flags) throws LastErrorException;

  static native int open(String path, int flags) throws LastErrorException;

  static native int close(int fd);

  static native int setns(int fd, int nstype) throws LastErrorException;

  static native int prctl(int option, long arg2, long arg3, long arg4, long arg5) throws LastErrorException;
}
