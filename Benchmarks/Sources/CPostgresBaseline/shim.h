#ifndef BENCHMARK_CPOSTGRES_SHIM_H
#define BENCHMARK_CPOSTGRES_SHIM_H
#if __has_include(<postgresql/libpq-fe.h>)
#include <postgresql/libpq-fe.h>
#else
#include <libpq-fe.h>
#endif
#endif
