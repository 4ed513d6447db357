#ifndef COMMUNITY_CSQLITE_SHIM_H
#define COMMUNITY_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
