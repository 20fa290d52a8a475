#ifndef SLUICE_JS_H
#define SLUICE_JS_H

#include <stddef.h>
#include <stdint.h>

/// One JavaScript heap (duktape) with a memory cap and an execution deadline. Not thread-safe: one thread uses it.
typedef struct sluice_js sluice_js;

/// Answers `mc.*` calls: `argv[0]` is the operation. Returns a malloc'd result the engine frees: "v" followed by
/// JSON text (or nothing for undefined), or "e" followed by an error message the script sees as an Error.
typedef char *(*sluice_js_host_function)(void *host, int argc, const char **argv, const size_t *lengths,
    size_t *result_length);

/// The monotonic time in nanoseconds, for the deadline.
typedef uint64_t (*sluice_js_clock_function)(void *clock_context);

enum {
    SLUICE_JS_OK = 0,
    /// The script threw (or did not compile); the message says why.
    SLUICE_JS_ERROR = 1,
    /// The deadline passed; the heap should be replaced.
    SLUICE_JS_TIMEOUT = 2,
    /// The memory cap was reached; the heap should be replaced.
    SLUICE_JS_OUT_OF_MEMORY = 3,
};

/// A new heap; NULL when even the empty heap does not fit in `memory_limit` bytes.
sluice_js *sluice_js_new(size_t memory_limit, sluice_js_host_function host_function,
    sluice_js_clock_function clock_function, void *clock_context);
void sluice_js_free(sluice_js *js);

/// Compiles `source` as global code and dumps its bytecode into `*out` (malloc'd); on failure `*out` is the
/// message, with the line.
int sluice_js_compile(sluice_js *js, const char *source, size_t length, const char *filename, char **out,
    size_t *out_length);

/// Runs compiled code, loaded once per heap into its own global environment (keyed by `script_id`) with the `mc`
/// object and `print` bound to `host`: global code per call when `function_name` is NULL, otherwise global code once
/// and then `function_name(mc)` per call. `*returned_false` is set when the result is the boolean false. On failure
/// `*error` is a malloc'd message.
int sluice_js_run(sluice_js *js, uint64_t script_id, const void *bytecode, size_t bytecode_length,
    const char *function_name, uint64_t deadline, void *host, int *returned_false, char **error);

/// What the clock function receives from now on.
void sluice_js_set_clock_context(sluice_js *js, void *clock_context);

/// Bytes the heap holds now.
size_t sluice_js_memory_used(const sluice_js *js);

#endif
