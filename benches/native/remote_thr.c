/* libzmq's perf/remote_thr on the system libzmq (see perf.h): connects a PUSH socket
 * and sends message-count messages of message-size bytes (zmq_msg_init_size, not
 * filled, as libzmq's tool), then closes; the default infinite linger makes
 * zmq_ctx_term wait until everything is written. ZMTP_PERF_CURVE=1: CURVE client.
 *
 * usage: remote_thr <connect-to> <message-size> <message-count> */

#include "perf.h"

int main (int argc, char *argv[])
{
    const char *connect_to;
    size_t message_size;
    int message_count;
    perf_args (argc, argv, "remote_thr <connect-to> <message-size> <message-count>",
               &connect_to, &message_size, &message_count);

    void *ctx;
    void *s = perf_socket (&ctx, ZMQ_PUSH, PERF_CLIENT, connect_to);

    zmq_msg_t msg;
    for (int i = 0; i != message_count; i++) {
        if (zmq_msg_init_size (&msg, message_size) != 0)
            perf_fail ("zmq_msg_init_size");
        if (zmq_msg_send (&msg, s, 0) < 0)
            perf_fail ("zmq_msg_send");
        zmq_msg_close (&msg);
    }

    zmq_close (s);
    zmq_ctx_term (ctx);
    return 0;
}
