#ifndef COMMUNITY_CPOSTGRES_SHIM_H
#define COMMUNITY_CPOSTGRES_SHIM_H
// Debian's libpq-dev puts the header under postgresql/; other layouts put it on the include path.
#if __has_include(<postgresql/libpq-fe.h>)
#include <postgresql/libpq-fe.h>
#else
#include <libpq-fe.h>
#endif
#endif
