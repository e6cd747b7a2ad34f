/* hone-import-job.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "hone-import-job"

#include "config.h"

#include <glib/gi18n.h>

#include "data/hone-import.h"
#include "store/hone-project.h"

#include "hone-import-job.h"

typedef enum
{
  PHASE_WAITING,
  PHASE_OPENING,
  PHASE_READING,
  PHASE_SAVING,
} Phase;

struct _HoneImportJob
{
  GObject       parent_instance;

  char         *project_dir;
  GPtrArray    *files;           /* (element-type GFile) */
  gboolean      started;

  /* Main thread only */
  char         *text;
  double        fraction;

  /* Shared with the worker, under @mutex */
  GMutex        mutex;
  GMainContext *main_context;    /* where the properties change */
  gboolean      update_pending;  /* an idle callback is on its way */
  Phase         phase;
  guint         file_index;
  char         *file_name;
  guint         n_messages;      /* in the file being saved */
  double        saved;           /* 0..1 of those */

  /* Written by the worker; read once the job has finished */
  GPtrArray    *failures;        /* (element-type utf8), NULL-terminated */
  guint         n_imported;
};

G_DEFINE_FINAL_TYPE (HoneImportJob, hone_import_job, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TEXT,
  PROP_FRACTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

HoneImportJob *
hone_import_job_new (const char   *project_dir,
                     GFile * const *files,
                     guint         n_files)
{
  HoneImportJob *self;

  g_return_val_if_fail (project_dir != NULL, NULL);
  g_return_val_if_fail (files != NULL || n_files == 0, NULL);

  self = g_object_new (HONE_TYPE_IMPORT_JOB, NULL);
  self->project_dir = g_strdup (project_dir);
  for (guint i = 0; i < n_files; i++)
    g_ptr_array_add (self->files, g_object_ref (files[i]));

  return self;
}

guint
hone_import_job_get_n_files (HoneImportJob *self)
{
  g_return_val_if_fail (HONE_IS_IMPORT_JOB (self), 0);

  return self->files->len;
}

const char *
hone_import_job_get_text (HoneImportJob *self)
{
  g_return_val_if_fail (HONE_IS_IMPORT_JOB (self), NULL);

  return self->text;
}

double
hone_import_job_get_fraction (HoneImportJob *self)
{
  g_return_val_if_fail (HONE_IS_IMPORT_JOB (self), -1);

  return self->fraction;
}

guint
hone_import_job_get_n_imported (HoneImportJob *self)
{
  g_return_val_if_fail (HONE_IS_IMPORT_JOB (self), 0);

  return self->n_imported;
}

const char * const *
hone_import_job_get_failures (HoneImportJob *self)
{
  static const char * const none[] = { NULL };

  g_return_val_if_fail (HONE_IS_IMPORT_JOB (self), NULL);

  /* An empty array may have no storage at all. */
  if (self->failures->pdata == NULL)
    return none;

  return (const char * const *) self->failures->pdata;
}

static char *
format_count (guint n)
{
  /* %' groups digits the way the person's locale does ("12,000", "12 000"). */
  return g_strdup_printf ("%'u", n);
}

static char *
describe_phase (HoneImportJob *self,
                Phase          phase,
                guint          file_index,
                const char    *file_name,
                guint          n_messages,
                double         saved)
{
  g_autofree char *step = NULL;
  guint n_files = self->files->len;

  switch (phase)
    {
    case PHASE_OPENING:
      return g_strdup (_("Opening the project…"));

    case PHASE_READING:
      /* Translators: %s is a file name. */
      step = g_strdup_printf (_("Reading %s…"), file_name);
      break;

    case PHASE_SAVING:
      {
        g_autofree char *done = format_count ((guint) (saved * n_messages + 0.5));
        g_autofree char *total = format_count (n_messages);

        /* Translators: "Saving 12,000 of 100,000 messages…"; both numbers are
         * already formatted. */
        step = g_strdup_printf (ngettext ("Saving %s of %s message…",
                                          "Saving %s of %s messages…",
                                          n_messages),
                                done, total);
      }
      break;

    case PHASE_WAITING:
    default:
      return NULL;
    }

  if (n_files > 1)
    /* Translators: what is happening, then which file of how many, e.g.
     * "Reading chat.txt… (file 2 of 5)". */
    return g_strdup_printf (_("%s (file %u of %u)"), step, file_index + 1, n_files);

  return g_steal_pointer (&step);
}

/* Main thread: takes the latest state the worker left and shows it. */
static gboolean
hone_import_job_flush (gpointer user_data)
{
  HoneImportJob *self = HONE_IMPORT_JOB (user_data);
  g_autofree char *file_name = NULL;
  g_autofree char *text = NULL;
  Phase phase;
  guint file_index, n_messages;
  double saved, fraction;

  g_mutex_lock (&self->mutex);
  self->update_pending = FALSE;
  phase = self->phase;
  file_index = self->file_index;
  file_name = g_strdup (self->file_name);
  n_messages = self->n_messages;
  saved = self->saved;
  g_mutex_unlock (&self->mutex);

  text = describe_phase (self, phase, file_index, file_name, n_messages, saved);
  fraction = phase == PHASE_SAVING ? CLAMP (saved, 0.0, 1.0) : -1.0;

  g_object_freeze_notify (G_OBJECT (self));

  if (g_strcmp0 (text, self->text) != 0)
    {
      g_free (self->text);
      self->text = g_steal_pointer (&text);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
    }

  if (fraction != self->fraction)
    {
      self->fraction = fraction;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
    }

  g_object_thaw_notify (G_OBJECT (self));

  return G_SOURCE_REMOVE;
}

/* Called with @mutex held. However fast the worker reports, at most one callback
 * waits in the main context, so the main loop is never flooded. */
static void
schedule_flush_locked (HoneImportJob *self)
{
  GSource *source;

  if (self->update_pending)
    return;

  self->update_pending = TRUE;

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_HIGH_IDLE);
  g_source_set_callback (source, hone_import_job_flush, g_object_ref (self), g_object_unref);
  g_source_set_static_name (source, "[hone] import progress");
  g_source_attach (source, self->main_context);
  g_source_unref (source);
}

static void
set_phase (HoneImportJob *self,
           Phase          phase,
           guint          file_index,
           const char    *file_name,
           guint          n_messages)
{
  g_mutex_lock (&self->mutex);
  self->phase = phase;
  self->file_index = file_index;
  if (g_strcmp0 (file_name, self->file_name) != 0)
    {
      g_free (self->file_name);
      self->file_name = g_strdup (file_name);
    }
  self->n_messages = n_messages;
  self->saved = 0;
  schedule_flush_locked (self);
  g_mutex_unlock (&self->mutex);
}

static void
on_store_progress (double   fraction,
                   gpointer user_data)
{
  HoneImportJob *self = user_data;

  g_mutex_lock (&self->mutex);
  self->saved = fraction;
  schedule_flush_locked (self);
  g_mutex_unlock (&self->mutex);
}

static void
add_failure (HoneImportJob *self,
             char          *message)
{
  g_ptr_array_add (self->failures, message);
}

static char *
describe_store_error (const char   *file_name,
                      const GError *error)
{
  if (g_error_matches (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_DUPLICATE))
    /* Translators: %s is a file name. */
    return g_strdup_printf (_("%s is already in this project, so it was not imported again."),
                            file_name);

  /* Translators: the first %s is a file name, the second the reason. */
  return g_strdup_printf (_("%s could not be saved in the project: %s"),
                          file_name, error->message);
}

static void
hone_import_job_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  HoneImportJob *self = HONE_IMPORT_JOB (source_object);
  g_autoptr(HoneProject) project = NULL;
  g_autoptr(GError) error = NULL;

  set_phase (self, PHASE_OPENING, 0, NULL, 0);

  /* One connection per thread: this one belongs to this worker alone. */
  project = hone_project_open (self->project_dir, &error);
  if (project == NULL)
    {
      g_task_return_new_error (task, error->domain, error->code,
                               /* Translators: %s is the reason. */
                               _("The project could not be opened: %s"), error->message);
      return;
    }

  for (guint i = 0; i < self->files->len; i++)
    {
      GFile *file = g_ptr_array_index (self->files, i);
      g_autofree char *path = g_file_get_path (file);
      g_autofree char *name = NULL;
      g_autoptr(HoneChatlog) log = NULL;
      gint64 id;

      if (g_task_return_error_if_cancelled (task))
        return;

      if (path == NULL)
        {
          g_autofree char *uri_name = g_file_get_basename (file);

          add_failure (self,
                       /* Translators: %s is a file name. */
                       g_strdup_printf (_("%s is not on this computer. Save it to a folder "
                                          "first, then import it from there."),
                                        uri_name));
          continue;
        }

      name = g_filename_display_basename (path);
      set_phase (self, PHASE_READING, i, name, 0);

      log = hone_import_read_path (path, NULL, cancellable, &error);
      if (log == NULL)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_task_return_error (task, g_steal_pointer (&error));
              return;
            }

          /* The importers' messages already start with the file name. */
          add_failure (self, g_strdup (error->message));
          g_clear_error (&error);
          continue;
        }

      if (g_task_return_error_if_cancelled (task))
        return;

      set_phase (self, PHASE_SAVING, i, name, hone_chatlog_count_messages (log));

      id = hone_project_add_source (project, path, log, on_store_progress, self,
                                    cancellable, &error);
      if (id == 0)
        {
          if (g_cancellable_is_cancelled (cancellable))
            {
              g_clear_error (&error);
              g_task_return_error_if_cancelled (task);
              return;
            }

          add_failure (self, describe_store_error (name, error));
          g_clear_error (&error);
          continue;
        }

      self->n_imported++;
    }

  g_task_return_boolean (task, TRUE);
}

void
hone_import_job_run_async (HoneImportJob       *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HONE_IS_IMPORT_JOB (self));
  g_return_if_fail (!self->started);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  self->started = TRUE;
  self->main_context = g_main_context_ref_thread_default ();

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hone_import_job_run_async);
  g_task_run_in_thread (task, hone_import_job_thread);
}

gboolean
hone_import_job_run_finish (HoneImportJob  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (HONE_IS_IMPORT_JOB (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
hone_import_job_finalize (GObject *object)
{
  HoneImportJob *self = HONE_IMPORT_JOB (object);

  g_clear_pointer (&self->project_dir, g_free);
  g_clear_pointer (&self->files, g_ptr_array_unref);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->file_name, g_free);
  g_clear_pointer (&self->failures, g_ptr_array_unref);
  g_clear_pointer (&self->main_context, g_main_context_unref);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (hone_import_job_parent_class)->finalize (object);
}

static void
hone_import_job_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HoneImportJob *self = HONE_IMPORT_JOB (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;

    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hone_import_job_class_init (HoneImportJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hone_import_job_finalize;
  object_class->get_property = hone_import_job_get_property;

  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL,
                         -1.0, 1.0, -1.0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hone_import_job_init (HoneImportJob *self)
{
  g_mutex_init (&self->mutex);
  self->files = g_ptr_array_new_with_free_func (g_object_unref);
  self->failures = g_ptr_array_new_null_terminated (1, g_free, TRUE);
  self->fraction = -1.0;
}
