#ifndef SLUICE_CLIBXML2_SHIM_H
#define SLUICE_CLIBXML2_SHIM_H

// Debian builds libxml2 with ICU; <libxml/encoding.h> would pull in the system ICU headers, which clash with
// Foundation's private ICU in any module that imports both. We never use libxml2's ICU converters, so we stop
// the ICU header here and declare the two names encoding.h needs.
#include <stdint.h>
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

#endif
