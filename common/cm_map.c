/*
 * cm_map.c: layout, zones and terrain generation.
 *
 * Terrain follows the reference server's generator (game-rules-facts §4.5)
 * in spirit, with arithmetic that is the same on every machine:
 *
 *  1. A splitmix64 stream seeded with the map seed drives everything.
 *  2. Each terrain t has its own gradient-noise field (a 256-entry shuffled
 *     permutation, gradients from 8 fixed directions, quintic fade), whose
 *     stream is seeded with seed + (first letter of t's name) * 1000, as
 *     the reference does.  Only +, *, floor are used: no libm functions
 *     whose last bit may differ between platforms.
 *  3. Each tile takes the terrain with the highest
 *        (noise_t(x/15, y/15) + 1) / 2 * weight[zone][t] * U(0.8, 1.2),
 *     weights as §4.5 (a missing weight: t is not allowed in that zone)
 *     except water's: with the reference's 0.8 (outer) and 1.0 (middle)
 *     only about 2% of the map is water, against the design's 15%, so we
 *     use 1.6 and 1.1.  The heart and inner zones allow no water.
 *  4. Connectivity: land is split into 4-connected components; every
 *     component but the largest is joined to the main land by the
 *     shortest 4-neighbour path, whose water tiles become plains.
 *
 * Measured on 100 x 100 (tests/unit/common/cm_map_test.c prints it), seed
 * 1: plains 44%, forest 19%, mountain 8%, river 17%, ruins 3%, corruption
 * 8%; seeds 2 and 3 give 10% and 16% water, all of it in the middle and
 * outer rings.
 */
#include <stdlib.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_map.h"

#define MAP_MAX 4096
#define NOISE_SCALE 15.0

struct cm_map {
	int      w, h;
	uint8_t *terrain; /* w * h, row-major */
	uint8_t *zone;
};

static const char *const terrain_names[CM_TERRAIN_COUNT] = { "plains",
	"forest", "mountain", "river", "ruins", "corruption" };
static const char *const zone_names[] = { "outer", "middle", "inner",
	"heart" };

/* weight[zone][terrain]; 0 = not allowed in that zone. */
static const double zone_weights[4][CM_TERRAIN_COUNT] = {
	/* outer  */ { 2.0, 1.5, 0.3, 1.6, 0.8, 0.1 },
	/* middle */ { 1.5, 1.5, 1.0, 1.1, 1.0, 0.0 },
	/* inner  */ { 1.0, 0.8, 2.0, 0.0, 1.5, 2.0 },
	/* heart  */ { 0.3, 0.0, 0.5, 0.0, 0.0, 5.0 },
};

/* ---- layout ------------------------------------------------------- */

cm_err
cm_layout_init(cm_layout *l, int w, int h, int shards)
{
	int rows = 1;

	if (w < 1 || w > MAP_MAX || h < 1 || h > MAP_MAX || shards < 1) {
		return (CM_ERANGE);
	}
	for (int d = 1; (long) d * d <= shards; d++) {
		if (shards % d == 0) {
			rows = d;
		}
	}
	if (shards / rows > w || rows > h) {
		return (CM_ERANGE);
	}
	l->w      = w;
	l->h      = h;
	l->shards = shards;
	l->rows   = rows;
	l->cols   = shards / rows;
	return (CM_OK);
}

cm_rect
cm_layout_region(const cm_layout *l, int shard)
{
	int     c = shard % l->cols, r = shard / l->cols;
	cm_rect rc;

	rc.x0 = c * l->w / l->cols;
	rc.x1 = (c + 1) * l->w / l->cols - 1;
	rc.y0 = r * l->h / l->rows;
	rc.y1 = (r + 1) * l->h / l->rows - 1;
	return (rc);
}

/*
 * The column of x is the largest c with c*w/cols <= x.  (x*cols)/w is at
 * most one too small or exact; the loop corrects it.
 */
static int
layout_band(int v, int size, int n)
{
	int c = (int) ((long) v * n / size);

	while (c + 1 < n && (long) (c + 1) * size / n <= v) {
		c++;
	}
	while (c > 0 && (long) c * size / n > v) {
		c--;
	}
	return (c);
}

int
cm_layout_shard_of(const cm_layout *l, int x, int y)
{
	return (layout_band(y, l->h, l->rows) * l->cols +
	    layout_band(x, l->w, l->cols));
}

bool
cm_layout_in_map(const cm_layout *l, long x, long y)
{
	return (x >= 0 && y >= 0 && x < l->w && y < l->h);
}

uint64_t
cm_fnv1a64(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t       h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return (h);
}

int
cm_owner_shard_of_id(const char *id, size_t len, int shards)
{
	return ((int) (cm_fnv1a64(id, len) % (uint64_t) shards));
}

/* ---- zones -------------------------------------------------------- */

cm_zone
cm_map_zone(int w, int h, int x, int y)
{
	int m  = w < h ? w : h;
	int dx = abs(x - w / 2), dy = abs(y - h / 2);
	int d  = dx > dy ? dx : dy;

	if (d <= 5 * m / 100) {
		return (CM_ZONE_HEART);
	}
	if (d <= 20 * m / 100) {
		return (CM_ZONE_INNER);
	}
	if (d <= 35 * m / 100) {
		return (CM_ZONE_MIDDLE);
	}
	return (CM_ZONE_OUTER);
}

const char *
cm_zone_name(cm_zone z)
{
	return ((unsigned) z < 4 ? zone_names[z] : "unknown");
}

const char *
cm_terrain_name(cm_terrain t)
{
	return ((unsigned) t < CM_TERRAIN_COUNT ? terrain_names[t] : "unknown");
}

bool
cm_terrain_is_water(cm_terrain t)
{
	return (t == CM_TERRAIN_RIVER);
}

/* ---- noise -------------------------------------------------------- */

static uint64_t
splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31));
}

/* A uniform double in [0, 1) from 53 random bits. */
static double
rand01(uint64_t *s)
{
	return ((double) (splitmix64(s) >> 11) * (1.0 / 9007199254740992.0));
}

typedef struct noise {
	uint8_t perm[512];
} noise;

static void
noise_init(noise *n, uint64_t seed)
{
	uint64_t s = seed;

	for (int i = 0; i < 256; i++) {
		n->perm[i] = (uint8_t) i;
	}
	for (int i = 255; i > 0; i--) {
		int     j = (int) (splitmix64(&s) % (uint64_t) (i + 1));
		uint8_t t = n->perm[i];

		n->perm[i] = n->perm[j];
		n->perm[j] = t;
	}
	memcpy(n->perm + 256, n->perm, 256);
}

static double
noise_grad(int hash, double x, double y)
{
	static const double g[8][2] = { { 1, 0 }, { -1, 0 }, { 0, 1 },
		{ 0, -1 }, { 0.70710678118654752, 0.70710678118654752 },
		{ -0.70710678118654752, 0.70710678118654752 },
		{ 0.70710678118654752, -0.70710678118654752 },
		{ -0.70710678118654752, -0.70710678118654752 } };

	return (g[hash & 7][0] * x + g[hash & 7][1] * y);
}

static double
noise_fade(double t)
{
	return (t * t * t * (t * (t * 6 - 15) + 10));
}

/* Gradient noise in about [-1, 1]. */
static double
noise_at(const noise *n, double x, double y)
{
	double fx = (double) (long) x, fy = (double) (long) y;
	int    xi = (int) fx & 255, yi = (int) fy & 255;
	double xf = x - fx, yf = y - fy;
	double u = noise_fade(xf), v = noise_fade(yf);
	int    aa = n->perm[n->perm[xi] + yi];
	int    ab = n->perm[n->perm[xi] + yi + 1];
	int    ba = n->perm[n->perm[xi + 1] + yi];
	int    bb = n->perm[n->perm[xi + 1] + yi + 1];
	double x1 = noise_grad(aa, xf, yf) +
	    u * (noise_grad(ba, xf - 1, yf) - noise_grad(aa, xf, yf));
	double x2 = noise_grad(ab, xf, yf - 1) +
	    u * (noise_grad(bb, xf - 1, yf - 1) - noise_grad(ab, xf, yf - 1));

	return ((x1 + v * (x2 - x1)) * 1.41421356237309505);
}

/* ---- connectivity ------------------------------------------------- */

/*
 * map_label marks each land tile with its 4-connected component (1..n) in
 * comp and returns n; *largest is the biggest component's label.
 */
static int
map_label(const cm_map *m, int *comp, int *queue, int *largest)
{
	int n = 0, best = 0;

	memset(comp, 0, sizeof(int) * (size_t) (m->w * m->h));
	for (int s = 0; s < m->w * m->h; s++) {
		int head = 0, tail = 0, size = 0;

		if (comp[s] != 0 || cm_terrain_is_water(m->terrain[s])) {
			continue;
		}
		comp[s]       = ++n;
		queue[tail++] = s;
		while (head < tail) {
			int       t = queue[head++];
			int       x = t % m->w, y = t / m->w;
			const int nb[4][2] = { { 1, 0 }, { -1, 0 }, { 0, 1 },
				{ 0, -1 } };

			size++;
			for (int k = 0; k < 4; k++) {
				int nx = x + nb[k][0], ny = y + nb[k][1], u;

				if (nx < 0 || ny < 0 || nx >= m->w ||
				    ny >= m->h) {
					continue;
				}
				u = ny * m->w + nx;
				if (comp[u] == 0 &&
				    !cm_terrain_is_water(m->terrain[u])) {
					comp[u]       = n;
					queue[tail++] = u;
				}
			}
		}
		if (size > best) {
			best     = size;
			*largest = n;
		}
	}
	return (n);
}

/*
 * map_join finds the shortest path from component c to component main
 * (BFS from all of c's tiles over any tile) and turns its water to plains.
 */
static void
map_join(cm_map *m, const int *comp, int c, int main_c, int *queue,
    int *prev)
{
	int head = 0, tail = 0, hit = -1;

	for (int i = 0; i < m->w * m->h; i++) {
		prev[i] = -2;
		if (comp[i] == c) {
			prev[i]       = -1;
			queue[tail++] = i;
		}
	}
	while (head < tail && hit < 0) {
		int       t = queue[head++];
		int       x = t % m->w, y = t / m->w;
		const int nb[4][2] = { { 1, 0 }, { -1, 0 }, { 0, 1 },
			{ 0, -1 } };

		for (int k = 0; k < 4 && hit < 0; k++) {
			int nx = x + nb[k][0], ny = y + nb[k][1], u;

			if (nx < 0 || ny < 0 || nx >= m->w || ny >= m->h) {
				continue;
			}
			u = ny * m->w + nx;
			if (prev[u] != -2) {
				continue;
			}
			prev[u] = t;
			if (comp[u] == main_c) {
				hit = u;
			} else {
				queue[tail++] = u;
			}
		}
	}
	for (int t = hit; t >= 0 && prev[t] != -1; t = prev[t]) {
		if (cm_terrain_is_water(m->terrain[t])) {
			m->terrain[t] = CM_TERRAIN_PLAINS;
		}
	}
}

static void
map_connect(cm_map *m)
{
	size_t n     = (size_t) (m->w * m->h);
	int   *comp  = cm_malloc(sizeof(int) * n);
	int   *queue = cm_malloc(sizeof(int) * n);
	int   *prev  = cm_malloc(sizeof(int) * n);
	int    largest = 0;

	/* Joining may merge several components at once: relabel each time. */
	while (map_label(m, comp, queue, &largest) > 1) {
		int c = largest == 1 ? 2 : 1;

		map_join(m, comp, c, largest, queue, prev);
	}
	free(comp);
	free(queue);
	free(prev);
}

/* ---- generation --------------------------------------------------- */

cm_err
cm_map_generate(int w, int h, uint64_t seed, cm_map **out)
{
	noise    fields[CM_TERRAIN_COUNT];
	uint64_t jitter = seed ^ 0x6a09e667f3bcc909ULL;
	cm_map  *m;

	if (w < 1 || w > MAP_MAX || h < 1 || h > MAP_MAX) {
		return (CM_ERANGE);
	}
	for (int t = 0; t < CM_TERRAIN_COUNT; t++) {
		noise_init(&fields[t],
		    seed + (uint64_t) (unsigned char) terrain_names[t][0] * 1000);
	}
	m          = cm_calloc(1, sizeof(*m));
	m->w       = w;
	m->h       = h;
	m->terrain = cm_malloc((size_t) (w * h));
	m->zone    = cm_malloc((size_t) (w * h));
	for (int y = 0; y < h; y++) {
		for (int x = 0; x < w; x++) {
			cm_zone z    = cm_map_zone(w, h, x, y);
			double  best = -1;
			int     pick = CM_TERRAIN_PLAINS;

			for (int t = 0; t < CM_TERRAIN_COUNT; t++) {
				double wt = zone_weights[z][t], sc;

				if (wt == 0) {
					continue;
				}
				sc = (noise_at(&fields[t], x / NOISE_SCALE,
				          y / NOISE_SCALE) +
				         1) /
				    2 * wt * (0.8 + 0.4 * rand01(&jitter));
				if (sc > best) {
					best = sc;
					pick = t;
				}
			}
			m->terrain[y * w + x] = (uint8_t) pick;
			m->zone[y * w + x]    = (uint8_t) z;
		}
	}
	map_connect(m);
	*out = m;
	return (CM_OK);
}

void
cm_map_free(cm_map *m)
{
	if (m == NULL) {
		return;
	}
	free(m->terrain);
	free(m->zone);
	free(m);
}

cm_terrain
cm_map_terrain(const cm_map *m, int x, int y)
{
	return ((cm_terrain) m->terrain[y * m->w + x]);
}

cm_zone
cm_map_zone_at(const cm_map *m, int x, int y)
{
	return ((cm_zone) m->zone[y * m->w + x]);
}

int
cm_map_width(const cm_map *m)
{
	return (m->w);
}

int
cm_map_height(const cm_map *m)
{
	return (m->h);
}
