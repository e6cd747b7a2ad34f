/* STUB */
#include "config.h"
#include "hone-migrations.h"
int hone_migrations_count (void) { return 0; }
gboolean hone_migrations_run (sqlite3 *db, int target, GError **error) { return TRUE; }
