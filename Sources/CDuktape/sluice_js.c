// The one place Sluice talks to duktape. Every duktape call happens in C, inside a protected call, so an
// ECMAScript error (which duktape raises with longjmp) never unwinds a Swift frame: Swift is only ever called back
// (host functions, the clock) from here, and those callbacks make no duktape calls.
#include "sluice_js.h"

#include <duktape.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sluice_js {
    duk_context *ctx;
    size_t limit;
    size_t used;
    int hit_limit;
    int timed_out;
    /// 0 while compiling: no deadline.
    uint64_t deadline;
    sluice_js_host_function host_function;
    sluice_js_clock_function clock_function;
    void *clock_context;
    /// The host of the call being run.
    void *host;
    /// A host result not yet handed to duktape (freed on the next call if pushing it failed).
    char *pending;
    /// Where a fatal engine error returns to; set while a call runs.
    jmp_buf fatal_return;
    int in_call;
};

// MARK: - Memory: every block carries its size, so the heap's total is known and capped.

typedef union {
    size_t size;
    max_align_t alignment;
} block_header;

static void *js_alloc(void *udata, duk_size_t size) {
    struct sluice_js *js = udata;
    if (size == 0) return NULL;
    if (size > js->limit || js->used + size > js->limit) {
        js->hit_limit = 1;
        return NULL;
    }
    block_header *block = malloc(sizeof(block_header) + size);
    if (block == NULL) {
        js->hit_limit = 1;
        return NULL;
    }
    block->size = size;
    js->used += size;
    return block + 1;
}

static void js_free(void *udata, void *pointer) {
    struct sluice_js *js = udata;
    if (pointer == NULL) return;
    block_header *block = (block_header *)pointer - 1;
    js->used -= block->size;
    free(block);
}

static void *js_realloc(void *udata, void *pointer, duk_size_t size) {
    struct sluice_js *js = udata;
    if (pointer == NULL) return js_alloc(udata, size);
    if (size == 0) {
        js_free(udata, pointer);
        return NULL;
    }
    block_header *block = (block_header *)pointer - 1;
    size_t old = block->size;
    if (size > old && (size > js->limit || js->used + (size - old) > js->limit)) {
        js->hit_limit = 1;
        return NULL;
    }
    block_header *moved = realloc(block, sizeof(block_header) + size);
    if (moved == NULL) {
        js->hit_limit = 1;
        return NULL;
    }
    js->used = js->used - old + size;
    moved->size = size;
    return moved + 1;
}

static void js_fatal(void *udata, const char *message) {
    struct sluice_js *js = udata;
    if (js != NULL && js->in_call) longjmp(js->fatal_return, 1);
    fprintf(stderr, "sluice: fatal JavaScript engine error outside a call: %s\n", message ? message : "");
    abort();
}

// MARK: - Time: duktape asks every 256k bytecode instructions (DUK_USE_EXEC_TIMEOUT_CHECK in duktape_build.c).

int sluice_js_timed_out(void *heap_udata) {
    struct sluice_js *js = heap_udata;
    if (js == NULL) return 0;
    if (js->timed_out) return 1;
    if (js->deadline == 0) return 0;
    if (js->clock_function(js->clock_context) >= js->deadline) {
        js->timed_out = 1;
        return 1;
    }
    return 0;
}

// MARK: - Host calls

static struct sluice_js *js_of(duk_context *ctx) {
    duk_memory_functions functions;
    duk_get_memory_functions(ctx, &functions);
    return functions.udata;
}

/// `host(operation, ...)`: hands the string arguments (null stays NULL) to the host function.
static duk_ret_t js_host_call(duk_context *ctx) {
    struct sluice_js *js = js_of(ctx);
    if (js->pending != NULL) {
        free(js->pending);
        js->pending = NULL;
    }
    duk_idx_t argc = duk_get_top(ctx);
    if (argc > 6) argc = 6;
    const char *argv[6];
    size_t lengths[6];
    for (duk_idx_t index = 0; index < argc; index++) {
        if (duk_is_null_or_undefined(ctx, index)) {
            argv[index] = NULL;
            lengths[index] = 0;
        } else {
            argv[index] = duk_safe_to_lstring(ctx, index, &lengths[index]);
        }
    }
    if (js->host == NULL) return 0;
    size_t length = 0;
    char *result = js->host_function(js->host, (int)argc, argv, lengths, &length);
    if (result == NULL) return 0;
    js->pending = result;
    duk_push_lstring(ctx, result, length);
    free(result);
    js->pending = NULL;
    return 1;
}

// `mc` and `print` for one global environment. Host results are "v" + JSON (or nothing: undefined) or "e" + an
// error message, so failures of the host become ordinary ECMAScript errors here.
static const char prelude[] =
    "(function (host) {\n"
    "  function call() {\n"
    "    var r = host.apply(null, arguments);\n"
    "    if (r === undefined) return undefined;\n"
    "    if (r.charAt(0) === 'e') throw new Error(r.substring(1));\n"
    "    return r.length > 1 ? JSON.parse(r.substring(1)) : undefined;\n"
    "  }\n"
    "  function scope(s) { return s === undefined || s === null ? null : String(s); }\n"
    "  function json(v) { return JSON.stringify(v === undefined ? null : v); }\n"
    "  var mc = {\n"
    "    getPayloadJSON: function () { return call('getPayloadJSON'); },\n"
    "    getJsonText: function () { return call('getJsonText'); },\n"
    "    setPayloadJSON: function (v) { call('setPayloadJSON', typeof v === 'string' ? v : JSON.stringify(v)); },\n"
    "    getPayloadXML: function () { return call('getPayloadXML'); },\n"
    "    setPayloadXML: function (v) { call('setPayloadXML', String(v)); },\n"
    "    getPayloadText: function () { return call('getPayloadText'); },\n"
    "    getEnvelopeXML: function () { return call('getEnvelopeXML'); },\n"
    "    getProperty: function (n, s) { return call('getProperty', String(n), scope(s)); },\n"
    "    setProperty: function (n, v, s) { call('setProperty', String(n), json(v), scope(s)); },\n"
    "    removeProperty: function (n, s) { call('removeProperty', String(n), scope(s)); },\n"
    "    getHeader: function (n) { return call('getProperty', String(n), 'transport'); },\n"
    "    setHeader: function (n, v) { call('setProperty', String(n), json(v === undefined || v === null ? v : String(v)), 'transport'); },\n"
    "    addHeader: function (n, v) { this.setHeader(n, v); },\n"
    "    removeHeader: function (n) { call('removeProperty', String(n), 'transport'); },\n"
    "    getTo: function () { return call('getTo'); },\n"
    "    setTo: function (v) { call('setTo', v === undefined || v === null ? null : String(v)); },\n"
    "    getMessageID: function () { return call('getMessageID'); },\n"
    "    isResponse: function () { return call('isResponse'); },\n"
    "    getLog: function () { return log; }\n"
    "  };\n"
    "  function text(args) { return Array.prototype.map.call(args, String).join(' '); }\n"
    "  var log = {\n"
    "    info: function () { call('log', 'info', text(arguments)); },\n"
    "    debug: function () { call('log', 'debug', text(arguments)); },\n"
    "    warn: function () { call('log', 'warn', text(arguments)); },\n"
    "    error: function () { call('log', 'error', text(arguments)); }\n"
    "  };\n"
    "  mc.getServiceLog = mc.getLog;\n"
    "  return { mc: mc, print: function () { call('log', 'info', text(arguments)); } };\n"
    "})";

// MARK: - Heap

sluice_js *sluice_js_new(size_t memory_limit, sluice_js_host_function host_function,
    sluice_js_clock_function clock_function, void *clock_context) {
    struct sluice_js *js = calloc(1, sizeof(struct sluice_js));
    if (js == NULL) return NULL;
    js->limit = memory_limit;
    js->host_function = host_function;
    js->clock_function = clock_function;
    js->clock_context = clock_context;
    js->ctx = duk_create_heap(js_alloc, js_realloc, js_free, js, js_fatal);
    if (js->ctx == NULL) {
        free(js);
        return NULL;
    }
    return js;
}

void sluice_js_free(sluice_js *js) {
    if (js == NULL) return;
    duk_destroy_heap(js->ctx);
    free(js->pending);
    free(js);
}

size_t sluice_js_memory_used(const sluice_js *js) { return js->used; }

void sluice_js_set_clock_context(sluice_js *js, void *clock_context) { js->clock_context = clock_context; }

/// The error at the top of the stack as a malloc'd "Name: message (line N)".
static char *error_text(duk_context *ctx) {
    duk_dup_top(ctx);
    const char *text = duk_safe_to_string(ctx, -1);
    char *message = strdup(text != NULL ? text : "unknown error");
    duk_pop(ctx);
    if (message == NULL || strstr(message, "(line ") != NULL || !duk_is_object(ctx, -1)) return message;
    duk_get_prop_string(ctx, -1, "lineNumber");
    if (duk_is_number(ctx, -1)) {
        char *located = malloc(strlen(message) + 32);
        if (located != NULL) {
            sprintf(located, "%s (line %ld)", message, (long)duk_get_int(ctx, -1));
            free(message);
            message = located;
        }
    }
    duk_pop(ctx);
    return message;
}

struct compile_job {
    const char *source;
    size_t length;
    const char *filename;
};

static duk_ret_t compile_safely(duk_context *ctx, void *udata) {
    struct compile_job *job = udata;
    duk_push_string(ctx, job->filename);
    duk_compile_lstring_filename(ctx, 0, job->source, job->length);
    duk_dump_function(ctx);
    return 1;
}

int sluice_js_compile(sluice_js *js, const char *source, size_t length, const char *filename, char **out,
    size_t *out_length) {
    struct compile_job job = {source, length, filename};
    js->deadline = 0;
    js->hit_limit = 0;
    js->in_call = 1;
    if (setjmp(js->fatal_return) != 0) {
        js->in_call = 0;
        *out = strdup("the JavaScript engine failed (out of memory)");
        return SLUICE_JS_OUT_OF_MEMORY;
    }
    int status = duk_safe_call(js->ctx, compile_safely, &job, 0, 1);
    int result = SLUICE_JS_OK;
    if (status == DUK_EXEC_SUCCESS) {
        duk_size_t size = 0;
        void *bytes = duk_get_buffer_data(js->ctx, -1, &size);
        *out = malloc(size > 0 ? size : 1);
        memcpy(*out, bytes, size);
        *out_length = size;
    } else {
        *out = error_text(js->ctx);
        *out_length = strlen(*out);
        result = js->hit_limit ? SLUICE_JS_OUT_OF_MEMORY : SLUICE_JS_ERROR;
    }
    duk_pop(js->ctx);
    js->in_call = 0;
    return result;
}

struct run_job {
    uint64_t script_id;
    const void *bytecode;
    size_t bytecode_length;
    const char *function_name;
    int returned_false;
};

/// The script's own thread (global environment) with `mc` and `print`, made on first use: [thread program].
static void push_script_environment(duk_context *ctx, struct run_job *job) {
    char key[32];
    snprintf(key, sizeof(key), "script:%llu", (unsigned long long)job->script_id);
    duk_push_heap_stash(ctx);
    if (duk_get_prop_string(ctx, -1, key)) {
        // [stash entry]: entry = [thread, program, initialized]
        duk_remove(ctx, -2);
        return;
    }
    duk_pop(ctx);
    duk_push_array(ctx);
    duk_push_thread_new_globalenv(ctx);
    duk_context *thread = duk_get_context(ctx, -1);
    duk_put_prop_index(ctx, -2, 0);
    // The prelude, in the thread's global environment: mc and print become its globals.
    duk_push_string(thread, "prelude");
    duk_compile_lstring_filename(thread, DUK_COMPILE_EVAL, prelude, sizeof(prelude) - 1);
    duk_call(thread, 0);
    duk_push_c_function(thread, js_host_call, DUK_VARARGS);
    duk_call(thread, 1);
    duk_get_prop_string(thread, -1, "mc");
    duk_put_global_string(thread, "mc");
    duk_get_prop_string(thread, -1, "print");
    duk_put_global_string(thread, "print");
    duk_pop(thread);
    // The program, loaded in the thread so its functions see the thread's globals.
    void *buffer = duk_push_fixed_buffer(thread, job->bytecode_length);
    memcpy(buffer, job->bytecode, job->bytecode_length);
    duk_load_function(thread);
    duk_xmove_top(ctx, thread, 1);
    duk_put_prop_index(ctx, -2, 1);
    duk_push_false(ctx);
    duk_put_prop_index(ctx, -2, 2);
    duk_dup_top(ctx);
    duk_put_prop_string(ctx, -3, key);
    duk_remove(ctx, -2);
}

static duk_ret_t run_safely(duk_context *ctx, void *udata) {
    struct run_job *job = udata;
    push_script_environment(ctx, job);
    duk_get_prop_index(ctx, -1, 0);
    duk_context *thread = duk_get_context(ctx, -1);
    if (job->function_name == NULL) {
        // Inline: the global code runs for every message.
        duk_get_prop_index(ctx, -2, 1);
        duk_xmove_top(thread, ctx, 1);
        duk_call(thread, 0);
    } else {
        duk_get_prop_index(ctx, -2, 2);
        int initialized = duk_get_boolean(ctx, -1);
        duk_pop(ctx);
        if (!initialized) {
            // Keyed: the global code runs once per heap and defines the function.
            duk_get_prop_index(ctx, -2, 1);
            duk_xmove_top(thread, ctx, 1);
            duk_call(thread, 0);
            duk_pop(thread);
            duk_push_true(ctx);
            duk_put_prop_index(ctx, -3, 2);
        }
        if (!duk_get_global_string(thread, job->function_name) || !duk_is_function(thread, -1)) {
            duk_pop(thread);
            duk_push_error_object(thread, DUK_ERR_REFERENCE_ERROR, "function '%s' is not defined by the script",
                job->function_name);
            duk_throw(thread);
        }
        duk_get_global_string(thread, "mc");
        duk_call(thread, 1);
    }
    job->returned_false = duk_is_boolean(thread, -1) && !duk_get_boolean(thread, -1);
    duk_pop(thread);
    duk_pop_2(ctx);
    return 0;
}

int sluice_js_run(sluice_js *js, uint64_t script_id, const void *bytecode, size_t bytecode_length,
    const char *function_name, uint64_t deadline, void *host, int *returned_false, char **error) {
    struct run_job job = {script_id, bytecode, bytecode_length, function_name, 0};
    js->deadline = deadline;
    js->timed_out = 0;
    js->hit_limit = 0;
    js->host = host;
    js->in_call = 1;
    *error = NULL;
    *returned_false = 0;
    if (setjmp(js->fatal_return) != 0) {
        js->in_call = 0;
        js->host = NULL;
        *error = strdup("the JavaScript engine failed (out of memory)");
        return SLUICE_JS_OUT_OF_MEMORY;
    }
    int status = duk_safe_call(js->ctx, run_safely, &job, 0, 1);
    int result = SLUICE_JS_OK;
    if (status != DUK_EXEC_SUCCESS) {
        *error = error_text(js->ctx);
        result = js->timed_out ? SLUICE_JS_TIMEOUT : js->hit_limit ? SLUICE_JS_OUT_OF_MEMORY : SLUICE_JS_ERROR;
    }
    duk_pop(js->ctx);
    *returned_false = job.returned_false;
    js->in_call = 0;
    js->host = NULL;
    js->deadline = 0;
    return result;
}
