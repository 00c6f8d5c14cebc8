/* libzmq's perf/remote_lat on the system libzmq (see perf.h): connects a REQ socket,
 * sends roundtrip-count requests of message-size bytes one after the other and prints
 * the average one-way latency (elapsed / (2 * roundtrip-count)); the clock starts
 * before the first send, as in libzmq's tool. ZMTP_PERF_CURVE=1: CURVE client.
 *
 * usage: remote_lat <connect-to> <message-size> <roundtrip-count> */

#include "perf.h"

int main (int argc, char *argv[])
{
    const char *connect_to;
    size_t message_size;
    int roundtrip_count;
    perf_args (argc, argv, "remote_lat <connect-to> <message-size> <roundtrip-count>",
               &connect_to, &message_size, &roundtrip_count);

    void *ctx;
    void *s = perf_socket (&ctx, ZMQ_REQ, PERF_CLIENT, connect_to);

    zmq_msg_t msg;
    if (zmq_msg_init_size (&msg, message_size) != 0)
        perf_fail ("zmq_msg_init_size");
    memset (zmq_msg_data (&msg), 0, message_size);

    void *watch = zmq_stopwatch_start ();
    for (int i = 0; i != roundtrip_count; i++) {
        if (zmq_msg_send (&msg, s, 0) < 0)
            perf_fail ("zmq_msg_send");
        if (zmq_msg_recv (&msg, s, 0) < 0)
            perf_fail ("zmq_msg_recv");
        if (zmq_msg_size (&msg) != message_size) {
            printf ("message of incorrect size received\n");
            return 1;
        }
    }
    unsigned long elapsed = zmq_stopwatch_stop (watch);
    zmq_msg_close (&msg);

    double latency = (double) elapsed / (roundtrip_count * 2);
    printf ("message size: %d [B]\n", (int) message_size);
    printf ("roundtrip count: %d\n", roundtrip_count);
    printf ("average latency: %.3f [us]\n", latency);

    zmq_close (s);
    zmq_ctx_term (ctx);
    return 0;
}
