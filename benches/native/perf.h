/* Shared code of the native perf tools (libzmq's perf/ programs on the system libzmq,
 * built by benches/compare.sh with gcc against Debian's libzmq3-dev, which has CURVE
 * through libsodium). Same command lines and output lines as libzmq's tools.
 *
 * ZMTP_PERF_CURVE=1 makes the binding side a CURVE server and the connecting side a
 * CURVE client with the zmq_curve(7) test keys, the same keys as every other
 * implementation's tools (benches/src/lib.rs, benches/peers/src/lib.rs). */

#ifndef ZMTP_NATIVE_PERF_H
#define ZMTP_NATIVE_PERF_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

/* zmq_curve(7) test keys (Z85). */
#define PERF_SERVER_PUBLIC "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"
#define PERF_SERVER_SECRET "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6"
#define PERF_CLIENT_PUBLIC "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID"
#define PERF_CLIENT_SECRET "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs"

enum perf_role { PERF_SERVER, PERF_CLIENT };

static int perf_fail (const char *what)
{
    printf ("error in %s: %s\n", what, zmq_strerror (zmq_errno ()));
    exit (1);
}

static int perf_curve_enabled (void)
{
    const char *v = getenv ("ZMTP_PERF_CURVE");
    if (v == NULL || *v == '\0' || strcmp (v, "0") == 0)
        return 0;
    if (strcmp (v, "1") != 0) {
        printf ("error in ZMTP_PERF_CURVE: \"%s\" is not 0 or 1\n", v);
        exit (1);
    }
    return 1;
}

static void perf_setkey (void *s, int option, const char *z85)
{
    /* 40 Z85 characters (libzmq also takes 32 raw bytes or 41 with the NUL). */
    if (zmq_setsockopt (s, option, z85, 40) != 0)
        perf_fail ("zmq_setsockopt (curve)");
}

/* With ZMTP_PERF_CURVE=1, makes `s` the given CURVE end (before bind / connect);
 * exits with a message when this libzmq has no CURVE. */
static void perf_curve (void *s, enum perf_role role)
{
    if (!perf_curve_enabled ())
        return;
    if (!zmq_has ("curve")) {
        printf ("error in ZMTP_PERF_CURVE: this libzmq has no CURVE "
                "(zmq_has(\"curve\") is false)\n");
        exit (1);
    }
    if (role == PERF_SERVER) {
        int one = 1;
        if (zmq_setsockopt (s, ZMQ_CURVE_SERVER, &one, sizeof one) != 0)
            perf_fail ("zmq_setsockopt (ZMQ_CURVE_SERVER)");
        perf_setkey (s, ZMQ_CURVE_SECRETKEY, PERF_SERVER_SECRET);
    } else {
        perf_setkey (s, ZMQ_CURVE_SERVERKEY, PERF_SERVER_PUBLIC);
        perf_setkey (s, ZMQ_CURVE_PUBLICKEY, PERF_CLIENT_PUBLIC);
        perf_setkey (s, ZMQ_CURVE_SECRETKEY, PERF_CLIENT_SECRET);
    }
}

/* Parses `<endpoint> <message-size> <count>` like libzmq's tools. */
static void perf_args (int argc, char *argv[], const char *usage,
                       const char **endpoint, size_t *size, int *count)
{
    if (argc != 4) {
        printf ("usage: %s\n", usage);
        exit (1);
    }
    *endpoint = argv[1];
    *size = (size_t) atoi (argv[2]);
    *count = atoi (argv[3]);
    if (*count <= 0) {
        printf ("usage: %s\n", usage);
        exit (1);
    }
}

/* A new context and a socket of `type` in it with linger -1 (libzmq's default, as
 * its tools set it), CURVE as `role` when ZMTP_PERF_CURVE=1, bound (server) or
 * connected (client) to `endpoint`. */
static void *perf_socket (void **ctx, int type, enum perf_role role, const char *endpoint)
{
    *ctx = zmq_ctx_new ();
    if (!*ctx)
        perf_fail ("zmq_ctx_new");
    void *s = zmq_socket (*ctx, type);
    if (!s)
        perf_fail ("zmq_socket");
    int linger = -1;
    if (zmq_setsockopt (s, ZMQ_LINGER, &linger, sizeof linger) != 0)
        perf_fail ("zmq_setsockopt");
    perf_curve (s, role);
    if (role == PERF_SERVER) {
        if (zmq_bind (s, endpoint) != 0)
            perf_fail ("zmq_bind");
    } else if (zmq_connect (s, endpoint) != 0)
        perf_fail ("zmq_connect");
    return s;
}

#endif
