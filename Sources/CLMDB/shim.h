#ifndef P2PSIP_CLMDB_SHIM_H
#define P2PSIP_CLMDB_SHIM_H
#include <lmdb.h>
#endif
