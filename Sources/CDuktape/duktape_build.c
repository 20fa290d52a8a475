// Debian's duktape 2.7 amalgamation (package duktape-dev), compiled here rather than linked from libduktape.so
// because Debian's build leaves out the execution-timeout hook: with it, a runaway script is stopped inside the
// engine instead of holding a thread forever. Nothing of duktape's source is copied into this repository.
// The configuration first (as duktape.c itself includes it, compiling duktape), so the two hooks below override it;
// duktape.c's own include of it is then skipped by its include guard.
#define DUK_COMPILING_DUKTAPE
#include "/usr/share/duktape/duk_config.h"

#undef DUK_USE_INTERRUPT_COUNTER
#define DUK_USE_INTERRUPT_COUNTER
#undef DUK_USE_EXEC_TIMEOUT_CHECK
extern int sluice_js_timed_out(void *heap_udata);
#define DUK_USE_EXEC_TIMEOUT_CHECK(udata) sluice_js_timed_out((udata))

#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Weverything"
#undef DUK_COMPILING_DUKTAPE
#include "/usr/share/duktape/duktape.c"
#pragma clang diagnostic pop
