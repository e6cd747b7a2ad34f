/* hone-ref.c — naive CPU references for the GPU kernels (hone-ref.h).
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <stdlib.h>
#include <string.h>

#include "hone-ref.h"

void
hone_ref_matmul (double       *c,
                 const double *a,
                 const double *b,
                 guint         m,
                 guint         n,
                 guint         k,
                 gboolean      trans_a,
                 gboolean      trans_b,
                 double        alpha,
                 double        beta)
{
  for (guint i = 0; i < m; i++)
    for (guint j = 0; j < n; j++)
      {
        double sum = 0;
        for (guint l = 0; l < k; l++)
          {
            double av = trans_a ? a[(gsize) l * m + i] : a[(gsize) i * k + l];
            double bv = trans_b ? b[(gsize) j * k + l] : b[(gsize) l * n + j];
            sum += av * bv;
          }
        c[(gsize) i * n + j] = alpha * sum + (beta != 0 ? beta * c[(gsize) i * n + j] : 0);
      }
}

void
hone_ref_add (double       *out,
              const double *a,
              const double *b,
              gsize         n)
{
  for (gsize i = 0; i < n; i++)
    out[i] = a[i] + b[i];
}

static double
sigmoid (double x)
{
  return 1.0 / (1.0 + exp (-x));
}

void
hone_ref_swiglu_forward (double       *h,
                         const double *g,
                         const double *u,
                         gsize         n)
{
  for (gsize i = 0; i < n; i++)
    h[i] = g[i] * sigmoid (g[i]) * u[i];
}

void
hone_ref_swiglu_backward (double       *dg,
                          double       *du,
                          const double *g,
                          const double *u,
                          const double *dh,
                          gsize         n)
{
  for (gsize i = 0; i < n; i++)
    {
      double s = sigmoid (g[i]);
      dg[i] = dh[i] * u[i] * s * (1.0 + g[i] * (1.0 - s));
      du[i] = dh[i] * g[i] * s;
    }
}

void
hone_ref_rmsnorm_forward (double       *y,
                          double       *rstd,
                          const double *x,
                          const double *w,
                          guint         t,
                          guint         c,
                          double        eps)
{
  for (guint r = 0; r < t; r++)
    {
      double ss = 0;
      for (guint j = 0; j < c; j++)
        ss += x[(gsize) r * c + j] * x[(gsize) r * c + j];
      rstd[r] = 1.0 / sqrt (ss / c + eps);
      for (guint j = 0; j < c; j++)
        y[(gsize) r * c + j] = x[(gsize) r * c + j] * rstd[r] * w[j];
    }
}

void
hone_ref_rmsnorm_backward (double       *dx,
                           double       *dw,
                           const double *x,
                           const double *w,
                           const double *dy,
                           guint         t,
                           guint         c,
                           double        eps)
{
  for (guint r = 0; r < t; r++)
    {
      const double *xr = x + (gsize) r * c, *dyr = dy + (gsize) r * c;
      double ss = 0, dot = 0, rs;
      for (guint j = 0; j < c; j++)
        ss += xr[j] * xr[j];
      rs = 1.0 / sqrt (ss / c + eps);
      for (guint j = 0; j < c; j++)
        dot += w[j] * dyr[j] * xr[j];
      for (guint j = 0; j < c; j++)
        {
          dx[(gsize) r * c + j] = rs * w[j] * dyr[j] - xr[j] * rs * rs * rs * dot / c;
          dw[j] += dyr[j] * xr[j] * rs;
        }
    }
}

void
hone_ref_rope (double        *y,
               const double  *x,
               const guint32 *pos,
               guint          t,
               guint          h,
               guint          d,
               double         base,
               gboolean       neox,
               double         sign)
{
  for (guint r = 0; r < t; r++)
    for (guint hh = 0; hh < h; hh++)
      {
        gsize row = ((gsize) r * h + hh) * d;
        for (guint i = 0; i < d / 2; i++)
          {
            gsize i0 = row + (neox ? i : 2 * i);
            gsize i1 = i0 + (neox ? d / 2 : 1);
            double angle = pos[r] * pow (base, -2.0 * i / d);
            double cs = cos (angle), sn = sign * sin (angle);
            double x0 = x[i0], x1 = x[i1];
            y[i0] = x0 * cs - x1 * sn;
            y[i1] = x0 * sn + x1 * cs;
          }
      }
}

void
hone_ref_rope_params (double        *y,
                      const double  *x,
                      const guint32 *pos,
                      guint          t,
                      guint          h,
                      guint          d,
                      double         base,
                      gboolean       neox,
                      double         freq_scale,
                      const double  *factors,
                      double         sign)
{
  for (guint r = 0; r < t; r++)
    for (guint hh = 0; hh < h; hh++)
      {
        gsize row = ((gsize) r * h + hh) * d;
        for (guint i = 0; i < d / 2; i++)
          {
            gsize i0 = row + (neox ? i : 2 * i);
            gsize i1 = i0 + (neox ? d / 2 : 1);
            double angle = pos[r] * freq_scale * pow (base, -2.0 * i / d)
                           / (factors != NULL ? factors[i] : 1.0);
            double cs = cos (angle), sn = sign * sin (angle);
            double x0 = x[i0], x1 = x[i1];
            y[i0] = x0 * cs - x1 * sn;
            y[i1] = x0 * sn + x1 * cs;
          }
      }
}

void
hone_ref_embed_forward (double        *out,
                        const guint32 *ids,
                        const double  *w,
                        guint          t,
                        guint          c,
                        guint          v)
{
  for (guint r = 0; r < t; r++)
    for (guint j = 0; j < c; j++)
      out[(gsize) r * c + j] = ids[r] < v ? w[(gsize) ids[r] * c + j] : 0.0;
}

void
hone_ref_embed_backward (double        *dw,
                         const guint32 *ids,
                         const double  *dout,
                         guint          t,
                         guint          c,
                         guint          v)
{
  for (guint r = 0; r < t; r++)
    if (ids[r] < v)
      for (guint j = 0; j < c; j++)
        dw[(gsize) ids[r] * c + j] += dout[(gsize) r * c + j];
}

void
hone_ref_adamw (double       *p,
                double       *m,
                double       *v,
                const double *grad,
                gsize         n,
                double        lr,
                double        beta1,
                double        beta2,
                double        eps,
                double        weight_decay,
                guint         step,
                double        grad_scale)
{
  double bc1 = 1.0 - pow (beta1, step), bc2 = 1.0 - pow (beta2, step);

  for (gsize i = 0; i < n; i++)
    {
      double g = grad[i] * grad_scale;
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      p[i] -= lr * weight_decay * p[i];
      p[i] -= lr * (m[i] / bc1) / (sqrt (v[i] / bc2) + eps);
    }
}

double
hone_ref_cross_entropy (double        *dlogits,
                        double        *losses,
                        const double  *logits,
                        const guint32 *targets,
                        const guint32 *mask,
                        guint          t,
                        guint          v)
{
  guint counted = 0;
  double total = 0, scale;

  for (guint r = 0; r < t; r++)
    counted += mask[r] != 0 && targets[r] < v;
  scale = counted > 0 ? 1.0 / counted : 0.0;
  for (guint r = 0; r < t; r++)
    {
      const double *l = logits + (gsize) r * v;
      double m = -INFINITY, s = 0, lse;

      if (mask[r] == 0 || targets[r] >= v)
        {
          losses[r] = 0;
          if (dlogits != NULL)
            for (guint j = 0; j < v; j++)
              dlogits[(gsize) r * v + j] = 0;
          continue;
        }
      for (guint j = 0; j < v; j++)
        m = MAX (m, l[j]);
      for (guint j = 0; j < v; j++)
        s += exp (l[j] - m);
      lse = m + log (s);
      losses[r] = lse - l[targets[r]];
      total += losses[r];
      if (dlogits != NULL)
        for (guint j = 0; j < v; j++)
          dlogits[(gsize) r * v + j] = scale * (exp (l[j] - lse) - (j == targets[r]));
    }
  return scale * total;
}

static int
compare_descending (const void *a,
                    const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? 1 : x > y ? -1 : 0;
}

guint
hone_ref_sample (double       *probs,
                 const double *logits,
                 guint         v,
                 double        temperature,
                 guint         top_k,
                 double        top_p,
                 double        min_p,
                 double        u)
{
  g_autofree double *e = g_new (double, v), *sorted = g_new (double, v);
  double m = logits[0], thr = min_p, total = 0, cum = 0;
  guint amax = 0, kept = 0, last = 0;

  for (guint j = 1; j < v; j++)
    if (logits[j] > m)
      {
        m = logits[j];
        amax = j;
      }
  if (temperature == 0)
    {
      for (guint j = 0; j < v; j++)
        probs[j] = j == amax;
      return amax;
    }
  for (guint j = 0; j < v; j++)
    e[j] = exp ((logits[j] - m) / temperature);
  if (top_k > 0 && top_k < v)
    {
      memcpy (sorted, e, sizeof (double) * v);
      qsort (sorted, v, sizeof (double), compare_descending);
      thr = MAX (thr, sorted[top_k - 1]);
    }
  if (top_p < 1)
    {
      double mass = 0, target;

      for (guint j = 0; j < v; j++)
        if (e[j] >= thr)
          sorted[kept++] = e[j];
      qsort (sorted, kept, sizeof (double), compare_descending);
      for (guint j = 0; j < kept; j++)
        mass += sorted[j];
      target = top_p * mass;
      mass = 0;
      for (guint j = 0; j < kept; j++)
        {
          mass += sorted[j];
          if (mass >= target)
            {
              thr = MAX (thr, sorted[j]);
              break;
            }
        }
    }
  for (guint j = 0; j < v; j++)
    if (e[j] >= thr)
      total += e[j];
  for (guint j = 0; j < v; j++)
    probs[j] = e[j] >= thr ? e[j] / total : 0;
  for (guint j = 0; j < v; j++)
    if (e[j] >= thr)
      {
        cum += e[j];
        last = j;
        if (cum > u * total)
          return j;
      }
  return last;
}

void
hone_ref_repetition_penalty (double        *logits,
                             const guint32 *ids,
                             guint          n,
                             guint          v,
                             double         penalty)
{
  g_autofree gboolean *seen = g_new0 (gboolean, v);

  for (guint i = 0; i < n; i++)
    if (ids[i] < v && !seen[ids[i]])
      {
        double *l = &logits[ids[i]];

        seen[ids[i]] = TRUE;
        *l = *l > 0 ? *l / penalty : *l * penalty;
      }
}

void
hone_ref_bias_forward (double       *y,
                       const double *x,
                       const double *b,
                       guint         t,
                       guint         c)
{
  for (guint r = 0; r < t; r++)
    for (guint j = 0; j < c; j++)
      y[(gsize) r * c + j] = x[(gsize) r * c + j] + b[j];
}

void
hone_ref_bias_backward (double       *db,
                        const double *dy,
                        guint         t,
                        guint         c)
{
  for (guint r = 0; r < t; r++)
    for (guint j = 0; j < c; j++)
      db[j] += dy[(gsize) r * c + j];
}

double
hone_ref_grad_norm (const double *const *grads,
                    const gsize         *sizes,
                    guint                n_tensors)
{
  double sum = 0;

  for (guint i = 0; i < n_tensors; i++)
    for (gsize j = 0; j < sizes[i]; j++)
      sum += grads[i][j] * grads[i][j];
  return sqrt (sum);
}

void
hone_ref_philox4x32 (guint32        out[4],
                     const guint32  counter[4],
                     const guint32  key[2])
{
  guint32 c[4] = { counter[0], counter[1], counter[2], counter[3] };
  guint32 k[2] = { key[0], key[1] };

  for (int r = 0; r < 10; r++)
    {
      guint64 p0 = (guint64) 0xD2511F53u * c[0], p1 = (guint64) 0xCD9E8D57u * c[2];
      guint32 n[4] = { (guint32) (p1 >> 32) ^ c[1] ^ k[0], (guint32) p1,
                       (guint32) (p0 >> 32) ^ c[3] ^ k[1], (guint32) p0 };

      memcpy (c, n, sizeof c);
      k[0] += 0x9E3779B9u;
      k[1] += 0xBB67AE85u;
    }
  memcpy (out, c, sizeof c);
}

gsize
hone_ref_dropout (double       *out,
                  const double *in,
                  gsize         n,
                  double        p,
                  guint64       seed,
                  guint32       step)
{
  guint32 key[2] = { (guint32) seed, (guint32) (seed >> 32) };
  double scale = p < 1 ? 1 / (1 - p) : 0;
  gsize kept = 0;

  for (gsize g = 0; 4 * g < n; g++)
    {
      guint32 counter[4] = { (guint32) g, step, 0, 0 }, r[4];

      hone_ref_philox4x32 (r, counter, key);
      for (gsize j = 0; j < 4 && 4 * g + j < n; j++)
        {
          gboolean keep = (r[j] >> 8) * (1.0 / 16777216.0) >= p;
          out[4 * g + j] = keep ? in[4 * g + j] * scale : 0;
          kept += keep;
        }
    }
  return kept;
}

void
hone_ref_attention_decode (double       *out,
                           double       *lse,
                           const double *q,
                           const double *k,
                           const double *v,
                           guint         h,
                           guint         hkv,
                           guint         d,
                           guint         s)
{
  g_autofree double *score = g_new (double, MAX (s, 1));

  for (guint hh = 0; hh < h; hh++)
    {
      guint kv = hh / (h / hkv);
      double m = -INFINITY, sum = 0;

      for (guint j = 0; j < s; j++)
        {
          double dot = 0;
          for (guint i = 0; i < d; i++)
            dot += q[(gsize) hh * d + i] * k[((gsize) j * hkv + kv) * d + i];
          score[j] = dot / sqrt ((double) d);
          m = MAX (m, score[j]);
        }
      for (guint j = 0; j < s; j++)
        sum += exp (score[j] - m);
      lse[hh] = m + log (sum);
      for (guint i = 0; i < d; i++)
        {
          double acc = 0;
          for (guint j = 0; j < s; j++)
            acc += exp (score[j] - lse[hh]) * v[((gsize) j * hkv + kv) * d + i];
          out[(gsize) hh * d + i] = acc;
        }
    }
}

void
hone_ref_attention_cached (double       *out,
                           const double *q,
                           const double *k,
                           const double *v,
                           guint         n,
                           guint         pos0,
                           guint         hq,
                           guint         hkv,
                           guint         d,
                           double        scale)
{
  g_autofree double *score = g_new (double, (gsize) pos0 + n);

  for (guint i = 0; i < n; i++)
    for (guint hh = 0; hh < hq; hh++)
      {
        const double *qr = q + ((gsize) i * hq + hh) * d;
        double *o = out + ((gsize) i * hq + hh) * d;
        guint kv = hh / (hq / hkv), visible = pos0 + i + 1;
        double m = -INFINITY, sum = 0;

        for (guint j = 0; j < visible; j++)
          {
            double dot = 0;
            for (guint c = 0; c < d; c++)
              dot += qr[c] * k[((gsize) j * hkv + kv) * d + c];
            score[j] = scale * dot;
            m = MAX (m, score[j]);
          }
        for (guint j = 0; j < visible; j++)
          sum += (score[j] = exp (score[j] - m));
        for (guint c = 0; c < d; c++)
          {
            double acc = 0;
            for (guint j = 0; j < visible; j++)
              acc += score[j] * v[((gsize) j * hkv + kv) * d + c];
            o[c] = acc / sum;
          }
      }
}

/* The probabilities of row (i, h) over all T keys (0 outside seq_start[i] ≤ j ≤ i). */
static void
attention_row (double        *prob,
               double        *lse,
               const double  *q,
               const double  *k,
               const guint32 *seq_start,
               guint          i,
               guint          h,
               guint          t,
               guint          hq,
               guint          hkv,
               guint          d,
               double         scale)
{
  guint kv = h / (hq / hkv);
  double m = -INFINITY, sum = 0;

  for (guint j = 0; j < t; j++)
    {
      double dot = 0;

      prob[j] = -INFINITY;
      if (j < seq_start[i] || j > i)
        continue;
      for (guint c = 0; c < d; c++)
        dot += q[((gsize) i * hq + h) * d + c] * k[((gsize) j * hkv + kv) * d + c];
      prob[j] = scale * dot;
      m = MAX (m, prob[j]);
    }
  for (guint j = 0; j < t; j++)
    if (prob[j] != -INFINITY)
      sum += exp (prob[j] - m);
  *lse = m + log (sum);
  for (guint j = 0; j < t; j++)
    prob[j] = prob[j] != -INFINITY ? exp (prob[j] - m) / sum : 0;
}

void
hone_ref_attention_forward (double        *out,
                            double        *lse,
                            const double  *q,
                            const double  *k,
                            const double  *v,
                            const guint32 *seq_start,
                            guint          t,
                            guint          hq,
                            guint          hkv,
                            guint          d,
                            double         scale)
{
  g_autofree double *prob = g_new (double, MAX (t, 1));

  for (guint i = 0; i < t; i++)
    for (guint h = 0; h < hq; h++)
      {
        guint kv = h / (hq / hkv);

        attention_row (prob, &lse[(gsize) i * hq + h], q, k, seq_start, i, h, t, hq, hkv, d,
                       scale);
        for (guint c = 0; c < d; c++)
          {
            double acc = 0;
            for (guint j = 0; j < t; j++)
              acc += prob[j] * v[((gsize) j * hkv + kv) * d + c];
            out[((gsize) i * hq + h) * d + c] = acc;
          }
      }
}

void
hone_ref_attention_backward (double        *dq,
                             double        *dk,
                             double        *dv,
                             const double  *q,
                             const double  *k,
                             const double  *v,
                             const double  *dout,
                             const guint32 *seq_start,
                             guint          t,
                             guint          hq,
                             guint          hkv,
                             guint          d,
                             double         scale)
{
  g_autofree double *prob = g_new (double, MAX (t, 1));
  g_autofree double *dp = g_new (double, MAX (t, 1));

  memset (dq, 0, sizeof (double) * t * hq * d);
  memset (dk, 0, sizeof (double) * t * hkv * d);
  memset (dv, 0, sizeof (double) * t * hkv * d);
  for (guint i = 0; i < t; i++)
    for (guint h = 0; h < hq; h++)
      {
        guint kv = h / (hq / hkv);
        const double *doi = &dout[((gsize) i * hq + h) * d];
        const double *qi = &q[((gsize) i * hq + h) * d];
        double lse, pdp = 0;

        attention_row (prob, &lse, q, k, seq_start, i, h, t, hq, hkv, d, scale);
        /* dP_ij = do_i·v_j; dS_ij = P_ij (dP_ij − Σ_l P_il dP_il) */
        for (guint j = 0; j < t; j++)
          {
            dp[j] = 0;
            for (guint c = 0; c < d; c++)
              dp[j] += doi[c] * v[((gsize) j * hkv + kv) * d + c];
            pdp += prob[j] * dp[j];
          }
        for (guint j = 0; j < t; j++)
          {
            double ds = prob[j] * (dp[j] - pdp);

            if (prob[j] == 0)
              continue;
            for (guint c = 0; c < d; c++)
              {
                gsize kj = ((gsize) j * hkv + kv) * d + c;

                dq[((gsize) i * hq + h) * d + c] += scale * ds * k[kj];
                dk[kj] += scale * ds * qi[c];
                dv[kj] += prob[j] * doi[c];
              }
          }
      }
}
