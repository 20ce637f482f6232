/*
 * SIGQUIT for `boxer run`, which HotSpot keeps for itself: JVM_RegisterSignal refuses BREAK_SIGNAL (SIGQUIT),
 * so sun.misc.Signal cannot handle it, with or without -Xrs. This library installs a sigaction handler that
 * does one async-signal-safe write() of the signal number to a pipe; NativeSignals reads the pipe on a Java
 * thread and forwards the signal from there.
 *
 * HotSpot's attach mechanism (jcmd, jstack) also uses SIGQUIT: the attacher creates .attach_pid<pid> in the
 * target's working directory or in /tmp and sends SIGQUIT. While such a file exists the signal is passed on
 * to the handler this one replaced (HotSpot's), so attaching keeps working; that SIGQUIT is not forwarded.
 * What is lost is HotSpot's thread dump of boxer's own JVM on SIGQUIT (use jcmd PID Thread.print instead).
 *
 * Thread: the handler runs on whichever thread the kernel picks; it touches only data written before it was
 * installed. The JNI functions are called once (install) and from one reader thread (await).
 */
#define _GNU_SOURCE /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jni.h>

#include "io_boxer_launcher_NativeSignals.h"

static int pipe_read_fd = -1;
static int pipe_write_fd = -1;
static struct sigaction replaced;
/* Both places HotSpot looks for the attach trigger (AttachListener::is_init_trigger), built before the
 * handler is installed because snprintf is not async-signal-safe. The first is relative: stat() resolves it
 * against the working directory at signal time, as HotSpot does. */
static char attach_file_in_cwd[64];
static char attach_file_in_tmp[64];

static int attach_requested(void) {
  struct stat st;
  return stat(attach_file_in_cwd, &st) == 0 || stat(attach_file_in_tmp, &st) == 0;
}

static void call_replaced_handler(int sig, siginfo_t *info, void *context) {
  if (replaced.sa_flags & SA_SIGINFO) {
    if (replaced.sa_sigaction != NULL) {
      replaced.sa_sigaction(sig, info, context);
    }
  } else if (replaced.sa_handler != SIG_DFL && replaced.sa_handler != SIG_IGN) {
    replaced.sa_handler(sig);
  }
}

static void on_quit(int sig, siginfo_t *info, void *context) {
  int saved_errno = errno;
  if (attach_requested()) {
    call_replaced_handler(sig, info, context);
  } else {
    unsigned char number = (unsigned char) sig;
    /* non-blocking pipe: if the reader is far behind the signal is dropped, as the kernel coalesces them */
    ssize_t ignored = write(pipe_write_fd, &number, 1);
    (void) ignored;
  }
  errno = saved_errno;
}

static jstring error(JNIEnv *env, const char *call, int err) {
  char message[160];
  snprintf(message, sizeof message, "%s failed: %s (errno %d)", call, strerror(err), err);
  return (*env)->NewStringUTF(env, message);
}

JNIEXPORT jstring JNICALL Java_io_boxer_launcher_NativeSignals_installQuitHandler(JNIEnv *env, jclass cls) {
  (void) cls;
  if (pipe_write_fd >= 0) {
    return NULL; /* installed already; the handler stays for the life of the process */
  }
  int fds[2];
  /* close-on-exec: no child of boxer inherits either end; non-blocking write end: the handler never blocks */
  if (pipe2(fds, O_CLOEXEC) != 0) {
    return error(env, "pipe2", errno);
  }
  if (fcntl(fds[1], F_SETFL, O_NONBLOCK) != 0) {
    int err = errno;
    close(fds[0]);
    close(fds[1]);
    return error(env, "fcntl(O_NONBLOCK)", err);
  }
  pid_t pid = getpid();
  snprintf(attach_file_in_cwd, sizeof attach_file_in_cwd, ".attach_pid%d", (int) pid);
  snprintf(attach_file_in_tmp, sizeof attach_file_in_tmp, "/tmp/.attach_pid%d", (int) pid);
  pipe_read_fd = fds[0];
  pipe_write_fd = fds[1];

  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_sigaction = on_quit;
  action.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&action.sa_mask);
  if (sigaction(SIGQUIT, &action, &replaced) != 0) {
    int err = errno;
    close(fds[0]);
    close(fds[1]);
    pipe_read_fd = pipe_write_fd = -1;
    return error(env, "sigaction(SIGQUIT)", err);
  }
  return NULL;
}

JNIEXPORT jint JNICALL Java_io_boxer_launcher_NativeSignals_awaitSignal(JNIEnv *env, jclass cls) {
  (void) env;
  (void) cls;
  unsigned char number;
  while (1) {
    ssize_t n = read(pipe_read_fd, &number, 1);
    if (n == 1) {
      return number;
    }
    if (n < 0 && errno == EINTR) {
      continue;
    }
    return -1;
  }
}
