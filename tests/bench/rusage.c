/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark helper (not a test): runs COMMAND and writes "wall user sys maxrss_kib" to FILE,
 * like GNU time -f '%e %U %S %M' but with microseconds (GNU time prints 0.01 s, too coarse
 * for runs of a few milliseconds). A small C parent, so the child's peak RSS before exec is
 * small too (a Python parent would add its own). Exit code: the command's (126/127 when it
 * cannot run). Usage: rusage FILE COMMAND [ARG...] */
#include "config.h"

#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double secs(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	struct timespec a, z;
	struct rusage ru;
	int status = 0;
	if (argc < 3) {
		fprintf(stderr, "usage: rusage FILE COMMAND [ARG...]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	pid_t pid = fork();
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &status, 0, &ru) != pid) return 126;
	clock_gettime(CLOCK_MONOTONIC, &z);
	FILE *f = fopen(argv[1], "w");
	if (!f) return 126;
	fprintf(f, "%.4f %.4f %.4f %ld\n",
	        (double)(z.tv_sec - a.tv_sec) + (double)(z.tv_nsec - a.tv_nsec) / 1e9,
	        secs(ru.ru_utime), secs(ru.ru_stime), ru.ru_maxrss);
	fclose(f);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
