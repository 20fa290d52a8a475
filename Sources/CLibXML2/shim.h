#ifndef SLUICE_CLIBXML2_SHIM_H
#define SLUICE_CLIBXML2_SHIM_H

// Debian builds libxml2 with ICU; <libxml/encoding.h> would pull in the system ICU headers, which clash with
// Foundation's private ICU in any module that imports both. We never use libxml2's ICU converters, so we stop
// the ICU header here and declare the two names encoding.h needs.
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#define UCNV_H
typedef struct UConverter UConverter;
typedef uint16_t UChar;

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/xmlsave.h>
#include <libxml/xmlschemas.h>

// libxslt (the `xslt` mediator) lives in this module too, so its functions take this module's libxml2 types.
#include <libxslt/xslt.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/transform.h>
#include <libxslt/xsltutils.h>
#include <libxslt/security.h>
#include <libxslt/documents.h>
#include <libxslt/variables.h>

// libxslt reports through variadic printf-style callbacks, which Swift cannot define: this one formats each
// message into a bounded buffer the Swift side reads afterwards.
typedef struct {
    char text[4096];
    size_t length;
} sluice_xslt_messages;

static inline void sluice_xslt_collect(void *context, const char *format, ...) {
    sluice_xslt_messages *messages = (sluice_xslt_messages *)context;
    if (messages == NULL || messages->length + 1 >= sizeof(messages->text)) return;
    va_list arguments;
    va_start(arguments, format);
    int written = vsnprintf(messages->text + messages->length, sizeof(messages->text) - messages->length, format,
        arguments);
    va_end(arguments);
    if (written > 0) {
        messages->length += (size_t)written;
        if (messages->length >= sizeof(messages->text)) messages->length = sizeof(messages->text) - 1;
    }
}

static inline void sluice_xslt_ignore(void *context, const char *format, ...) {
    (void)context;
    (void)format;
}

/// Sends a transformation's messages (errors, `xsl:message`) to `messages`.
static inline void sluice_xslt_collect_transform_errors(xsltTransformContextPtr context,
    sluice_xslt_messages *messages) {
    xsltSetTransformErrorFunc(context, messages, sluice_xslt_collect);
}

/// Sends libxslt's and this thread's libxml2 generic messages to `messages` (NULL: drop them).
static inline void sluice_xslt_collect_generic_errors(sluice_xslt_messages *messages) {
    if (messages == NULL) {
        xsltSetGenericErrorFunc(NULL, sluice_xslt_ignore);
        xmlSetGenericErrorFunc(NULL, sluice_xslt_ignore);
    } else {
        xsltSetGenericErrorFunc(messages, sluice_xslt_collect);
        xmlSetGenericErrorFunc(messages, sluice_xslt_collect);
    }
}

#endif
