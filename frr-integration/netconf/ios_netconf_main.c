// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Calls from the NETCONF thread into zebra's main thread. FRR's
 * northbound is not thread-safe: every access to it is an event on the
 * main thread's loop, and the NETCONF thread waits for it to finish
 * (as FRR's gRPC plugin does).
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include <zebra.h>

#include <pthread.h>

#include "thread.h"

#include "ios_netconf.h"

struct main_call {
	void (*fn)(void *arg);
	void *arg;
	bool done;
};

static struct thread_master *main_master;
static pthread_mutex_t call_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t call_done = PTHREAD_COND_INITIALIZER;
static bool stopping;

static void main_call_run(struct thread *thread)
{
	struct main_call *call = THREAD_ARG(thread);

	call->fn(call->arg);
	pthread_mutex_lock(&call_mutex);
	call->done = true;
	pthread_cond_broadcast(&call_done);
	pthread_mutex_unlock(&call_mutex);
}

bool ios_nc_call_main(void (*fn)(void *arg), void *arg)
{
	struct main_call call = { .fn = fn, .arg = arg };
	bool done;

	pthread_mutex_lock(&call_mutex);
	if (stopping) {
		pthread_mutex_unlock(&call_mutex);
		return false;
	}
	/* thread_add_event() may be called from any pthread */
	thread_add_event(main_master, main_call_run, &call, 0, NULL);
	while (!call.done && !stopping)
		pthread_cond_wait(&call_done, &call_mutex);
	done = call.done;
	pthread_mutex_unlock(&call_mutex);
	/*
	 * If zebra stops first, the event never runs: the main loop has
	 * ended, so the call on this stack is not touched again.
	 */
	return done;
}

void ios_nc_main_init(struct thread_master *master)
{
	main_master = master;
	stopping = false;
}

void ios_nc_main_stop(void)
{
	pthread_mutex_lock(&call_mutex);
	stopping = true;
	pthread_cond_broadcast(&call_done);
	pthread_mutex_unlock(&call_mutex);
}
