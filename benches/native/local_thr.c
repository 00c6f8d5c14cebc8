/* libzmq's perf/local_thr on the system libzmq (see perf.h): binds a PULL socket,
 * receives one message to start the clock, then message-count - 1 more, checking every
 * size, and prints the mean throughput. ZMTP_PERF_CURVE=1: CURVE server.
 *
 * usage: local_thr <bind-to> <message-size> <message-count> */

#include "perf.h"

int main (int argc, char *argv[])
{
    const char *bind_to;
    size_t message_size;
    int message_count;
    perf_args (argc, argv, "local_thr <bind-to> <message-size> <message-count>",
               &bind_to, &message_size, &message_count);

    void *ctx;
    void *s = perf_socket (&ctx, ZMQ_PULL, PERF_SERVER, bind_to);

    zmq_msg_t msg;
    if (zmq_msg_init (&msg) != 0)
        perf_fail ("zmq_msg_init");
    if (zmq_msg_recv (&msg, s, 0) < 0)
        perf_fail ("zmq_msg_recv");
    if (zmq_msg_size (&msg) != message_size) {
        printf ("message of incorrect size received\n");
        return 1;
    }

    void *watch = zmq_stopwatch_start ();
    for (int i = 0; i != message_count - 1; i++) {
        if (zmq_msg_recv (&msg, s, 0) < 0)
            perf_fail ("zmq_msg_recv");
        if (zmq_msg_size (&msg) != message_size) {
            printf ("message of incorrect size received\n");
            return 1;
        }
    }
    unsigned long elapsed = zmq_stopwatch_stop (watch);
    if (elapsed == 0)
        elapsed = 1;
    zmq_msg_close (&msg);

    double throughput = (double) message_count / (double) elapsed * 1000000;
    double megabits = throughput * message_size * 8 / 1000000;
    printf ("message size: %d [B]\n", (int) message_size);
    printf ("message count: %d\n", message_count);
    printf ("mean throughput: %d [msg/s]\n", (int) throughput);
    printf ("mean throughput: %.3f [Mb/s]\n", megabits);

    zmq_close (s);
    zmq_ctx_term (ctx);
    return 0;
}
