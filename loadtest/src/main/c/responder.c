/*
 * A trivial BEP 15 responder with no tracker logic, in C with recvmmsg/sendmmsg: the ceiling
 * against which the load generator shows it is not the bottleneck (a JVM responder is slower
 * than the generator, so it would hide the generator's own limit).
 * Build: gcc -O2 -o responder responder.c     Run: responder PORT   (binds 127.0.0.1)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define BATCH 64

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s PORT\n", argv[0]);
    return 2;
  }
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  int size = 4 << 20;
  setsockopt(s, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  setsockopt(s, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  struct sockaddr_in addr = {0};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(atoi(argv[1]));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(s, (struct sockaddr *)&addr, sizeof addr) != 0) {
    perror("bind");
    return 1;
  }
  static char in[BATCH][2048], out[BATCH][2048];
  struct mmsghdr rmsg[BATCH], smsg[BATCH];
  struct iovec riov[BATCH], siov[BATCH];
  struct sockaddr_in from[BATCH];
  for (;;) {
    for (int i = 0; i < BATCH; i++) {
      riov[i].iov_base = in[i];
      riov[i].iov_len = sizeof in[i];
      memset(&rmsg[i], 0, sizeof rmsg[i]);
      rmsg[i].msg_hdr.msg_iov = &riov[i];
      rmsg[i].msg_hdr.msg_iovlen = 1;
      rmsg[i].msg_hdr.msg_name = &from[i];
      rmsg[i].msg_hdr.msg_namelen = sizeof from[i];
    }
    int n = recvmmsg(s, rmsg, BATCH, MSG_WAITFORONE, NULL);
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (rmsg[i].msg_len < 16) continue;
      unsigned action = ntohl(*(unsigned *)(in[i] + 8));
      char *p = out[k];
      int len;
      memcpy(p + 4, in[i] + 12, 4); /* transaction id */
      if (action == 0) {            /* connect: a fixed connection id */
        *(unsigned *)p = htonl(0);
        memset(p + 8, 0, 8);
        p[15] = 0x34;
        len = 16;
      } else if (action == 1) {     /* announce: interval 1800, no leechers, one seeder, no peers */
        *(unsigned *)p = htonl(1);
        *(unsigned *)(p + 8) = htonl(1800);
        *(unsigned *)(p + 12) = 0;
        *(unsigned *)(p + 16) = htonl(1);
        len = 20;
      } else {                      /* scrape: zeros for every hash */
        int hashes = (rmsg[i].msg_len - 16) / 20;
        *(unsigned *)p = htonl(2);
        memset(p + 8, 0, 12 * hashes);
        len = 8 + 12 * hashes;
      }
      siov[k].iov_base = p;
      siov[k].iov_len = len;
      memset(&smsg[k], 0, sizeof smsg[k]);
      smsg[k].msg_hdr.msg_iov = &siov[k];
      smsg[k].msg_hdr.msg_iovlen = 1;
      smsg[k].msg_hdr.msg_name = &from[i];
      smsg[k].msg_hdr.msg_namelen = sizeof from[i];
      k++;
    }
    if (k > 0) sendmmsg(s, smsg, k, 0);
  }
}
