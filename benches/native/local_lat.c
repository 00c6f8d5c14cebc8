/* libzmq's perf/local_lat on the system libzmq (see perf.h): binds a REP socket and
 * echoes roundtrip-count messages of message-size bytes, checking every size. With
 * infinite linger, zmq_ctx_term waits for the last reply (libzmq's tool sleeps 1 s).
 * ZMTP_PERF_CURVE=1: CURVE server.
 *
 * usage: local_lat <bind-to> <message-size> <roundtrip-count> */

#include "perf.h"

int main (int argc, char *argv[])
{
    const char *bind_to;
    size_t message_size;
    int roundtrip_count;
    perf_args (argc, argv, "local_lat <bind-to> <message-size> <roundtrip-count>",
               &bind_to, &message_size, &roundtrip_count);

    void *ctx;
    void *s = perf_socket (&ctx, ZMQ_REP, PERF_SERVER, bind_to);

    zmq_msg_t msg;
    if (zmq_msg_init (&msg) != 0)
        perf_fail ("zmq_msg_init");
    for (int i = 0; i != roundtrip_count; i++) {
        if (zmq_msg_recv (&msg, s, 0) < 0)
            perf_fail ("zmq_msg_recv");
        if (zmq_msg_size (&msg) != message_size) {
            printf ("message of incorrect size received\n");
            return 1;
        }
        if (zmq_msg_send (&msg, s, 0) < 0)
            perf_fail ("zmq_msg_send");
    }
    zmq_msg_close (&msg);

    zmq_close (s);
    zmq_ctx_term (ctx);
    return 0;
}
