/*
 * The C floor of the side-by-side harness (dev.ringfork.bench.peer): an SPSC ring of fixed-size records
 * in a file mapped by two processes, the producer publishing its tail once every 64 records (and at the
 * end), the consumer checking every record's sequence number and publishing its head once per poll
 * (timed from its first poll that found records to the end of its last).
 * It speaks the harness's control page (phase at 0, ready count at 64, producer 0's sent count at 128)
 * and prints a RESULT line like the Java children. Built at run time by scripts/bench (gcc -O2).
 *
 *   spsc_ring dir=DIR role=producer|consumer count=N size=BYTES
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#define CAPACITY (1u << 20)
#define DATA 4096
#define PUBLISH_EVERY 64

struct ring {
    _Atomic uint64_t head;
    char pad1[120];
    _Atomic uint64_t tail;
};

static void *map(const char *dir, const char *name, size_t length) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_RDWR | O_CREAT, 0600);
    if (fd < 0 || ftruncate(fd, (off_t) length) != 0) {
        perror(path);
        exit(1);
    }
    void *p = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
        perror("mmap");
        exit(1);
    }
    close(fd);
    return p;
}

static const char *arg(int argc, char **argv, const char *key) {
    size_t n = strlen(key);
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], key, n) == 0 && argv[i][n] == '=') {
            return argv[i] + n + 1;
        }
    }
    fprintf(stderr, "missing %s=\n", key);
    exit(2);
}

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t) t.tv_sec * 1000000000 + t.tv_nsec;
}

/* This thread's run-queue wait so far in ns (second field of /proc/thread-self/schedstat), or -1. */
static long long run_queue_wait(void) {
    long long cpu = 0, wait = -1;
    FILE *f = fopen("/proc/thread-self/schedstat", "r");
    if (f != NULL) {
        if (fscanf(f, "%lld %lld", &cpu, &wait) != 2) {
            wait = -1;
        }
        fclose(f);
    }
    return wait;
}

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

int main(int argc, char **argv) {
    prctl(PR_SET_PDEATHSIG, SIGKILL); /* no orphan outlives the harness */
    const char *dir = arg(argc, argv, "dir");
    const char *role = arg(argc, argv, "role");
    uint64_t count = strtoull(arg(argc, argv, "count"), NULL, 10);
    uint64_t size = strtoull(arg(argc, argv, "size"), NULL, 10);
    uint64_t record = (size + 7) & ~7ull;
    uint64_t slots = CAPACITY / record;
    if (size < 16) {
        fprintf(stderr, "size must be at least 16\n");
        return 2;
    }
    char *control = map(dir, "control", 4096);
    char *base = map(dir, "ring.c", DATA + CAPACITY);
    struct ring *ring = (struct ring *) base;
    char *data = base + DATA;
    _Atomic int32_t *phase = (_Atomic int32_t *) control;
    _Atomic int32_t *ready = (_Atomic int32_t *) (control + 64);
    _Atomic int64_t *sent = (_Atomic int64_t *) (control + 128);

    if (strcmp(role, "producer") == 0) {
        char payload[65536];
        for (uint64_t i = 0; i < sizeof payload; i++) {
            payload[i] = (char) i;
        }
        atomic_fetch_add(ready, 1);
        while (atomic_load_explicit(phase, memory_order_acquire) == 0) {
            usleep(100);
        }
        uint64_t tail = 0;
        uint64_t head = atomic_load_explicit(&ring->head, memory_order_acquire);
        for (uint64_t seq = 0; seq < count; seq++) {
            while (tail - head >= slots) {
                atomic_store_explicit(&ring->tail, tail, memory_order_release);
                cpu_relax();
                head = atomic_load_explicit(&ring->head, memory_order_acquire);
            }
            char *slot = data + (tail % slots) * record;
            memcpy(slot + 12, payload + 12, size - 12);
            memcpy(slot, &seq, 8);
            int32_t id = 0;
            memcpy(slot + 8, &id, 4);
            tail++;
            if (tail % PUBLISH_EVERY == 0) {
                atomic_store_explicit(&ring->tail, tail, memory_order_release);
            }
        }
        atomic_store_explicit(&ring->tail, tail, memory_order_release);
        atomic_store_explicit(sent, (int64_t) count, memory_order_release);
        printf("RESULT role=producer sent=%llu\n", (unsigned long long) count);
        return 0;
    }
    if (strcmp(role, "consumer") == 0) {
        atomic_fetch_add(ready, 1);
        uint64_t head = 0;
        int64_t first = 0;
        int64_t last = 0;
        long long wait_start = -1;
        while (head < count) {
            uint64_t tail = atomic_load_explicit(&ring->tail, memory_order_acquire);
            if (tail == head) {
                cpu_relax();
                continue;
            }
            if (first == 0) {
                wait_start = run_queue_wait();
                first = now_ns();
            }
            for (; head < tail; head++) {
                uint64_t seq;
                memcpy(&seq, data + (head % slots) * record, 8);
                if (seq != head) {
                    printf("sequence %llu at %llu\n", (unsigned long long) seq, (unsigned long long) head);
                    return 1;
                }
            }
            last = now_ns();
            atomic_store_explicit(&ring->head, head, memory_order_release);
        }
        long long wait_end = run_queue_wait();
        printf("RESULT role=consumer received=%llu first_ns=%lld last_ns=%lld", (unsigned long long) head,
               (long long) first, (long long) last);
        if (wait_start >= 0 && wait_end >= 0) {
            printf(" wait_ns=%lld", wait_end - wait_start);
        }
        printf("\n");
        return 0;
    }
    fprintf(stderr, "role=producer|consumer\n");
    return 2;
}
