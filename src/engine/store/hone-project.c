/* STUB */
#include "config.h"
#include "hone-project.h"
G_DEFINE_QUARK (hone-project-error-quark, hone_project_error)
int hone_project_schema_version (void) { return 0; }
HoneProject *hone_project_create (const char *dir, GError **error) { g_set_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_FAILED, "not written yet"); return NULL; }
HoneProject *hone_project_open (const char *dir, GError **error) { g_set_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_FAILED, "not written yet"); return NULL; }
void hone_project_free (HoneProject *project) {}
const char *hone_project_get_dir (HoneProject *project) { return NULL; }
sqlite3 *hone_project_get_db (HoneProject *project) { return NULL; }
gint64 hone_project_add_source (HoneProject *project, const char *path, const HoneChatlog *log, HoneProgressFunc progress, gpointer progress_data, GCancellable *cancellable, GError **error) { return 0; }
GPtrArray *hone_project_list_sources (HoneProject *project, GError **error) { return g_ptr_array_new (); }
HoneSourceInfo *hone_project_get_source (HoneProject *project, gint64 id, GError **error) { return NULL; }
gboolean hone_project_remove_source (HoneProject *project, gint64 id, GError **error) { return FALSE; }
HoneChatlog *hone_project_load_source (HoneProject *project, gint64 id, GError **error) { return NULL; }
void hone_source_info_free (HoneSourceInfo *info) {}
