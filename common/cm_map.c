/*
 * cm_map.c: the shard layout, zones, terrain generation and the Forsaken.
 *
 * Layout.  Shard i owns column i % cols and row i / cols; column c spans x
 * from c*w/cols to (c+1)*w/cols - 1.  The column of x is therefore the
 * largest c with floor(c*w/cols) <= x, that is c*w < (x+1)*cols, which
 * gives the closed form c = ((x+1)*cols - 1) / w; rows likewise.  Since
 * cols <= w and rows <= h (cm_layout_init refuses the rest) every shard
 * owns at least one tile.
 *
 * Terrain follows the design (game-rules-facts §4.3-4.5): water about 15%
 * of the map in seas of 10-30 tiles, more toward the edges, land always
 * connected; land terrain by the reference server's noise and zone
 * weights.  Integer arithmetic only, so the same seed gives the same map
 * bit for bit on every machine and with every compiler flag (no floating
 * point, whose contraction into FMA or excess precision could move a
 * tie).  Numbers below are Q16 fixed point (65536 = 1.0); a product of
 * two is (a*b)/65536, truncated toward zero; the code below is the exact
 * reference for anyone who recomputes a map elsewhere.  n = w*h; tile t
 * is (t % w, t / w).
 *
 *  1. Streams.  splitmix64 (state += 0x9e3779b97f4a7c15, then the usual
 *     mix; see splitmix64()) seeded with the map seed yields eight values
 *     in turn: the states of the five land terrains' noise fields
 *     (plains, forest, mountain, ruins, corruption), of the jitter
 *     stream, of the water stream, and the Forsaken seed.
 *  2. Water.  target = n*15/100 tiles.  A sea starts at a tile drawn from
 *     the water stream (r = next; tile (r >> 32) % n, kept only if
 *     (r & 0xffffffff) % 100 < 100 in the outer ring, < 40 in the middle
 *     one, never in the inner ring or heart: that is the bias toward the
 *     edges), with size = 10 + next % 21, cut to target - water.  It
 *     grows by draws r: the sea's tile number (r >> 32) % len (in the
 *     order added) and its neighbour (r & 3: right, left, down, up); a
 *     tile joins when it is land in the outer or middle ring, touches (8
 *     neighbours) no water of another sea, and is "removable": the land
 *     among its 8 neighbours (tiles off the map are not land) forms one
 *     8-connected group inside that 3 x 3 window.  Every path over land
 *     through a removable tile can go round it, so turning it to water
 *     never disconnects land, and since the map starts all land, land
 *     stays one 8-connected piece (no islands, no post-pass).  Growth
 *     stops at size or after 8*size draws; a sea left under 10 tiles is
 *     turned back to land.  Seas start while water + 10 <= target, at
 *     most 256 + n/4 starts.
 *  3. Fields.  Each land terrain t has its own 2-D gradient-noise field: a
 *     256-entry permutation shuffled by Fisher-Yates (j = next % (i+1),
 *     i from 255 down to 1), gradients from 8 fixed directions (index
 *     perm[...] & 7), quintic fade, bilinear blend, result scaled by
 *     sqrt 2 and clamped to [-1, 1].  A tile (x, y) samples its field at
 *     (floor(x*65536/15) + ox, floor(y*65536/15) + oy); the offsets (ox,
 *     oy: the top 24 bits of the next two draws, so [0, 256) in Q16)
 *     keep the lattices from lining up.
 *  4. Pick.  Land tiles are visited row by row (y, then x); for each land
 *     terrain t allowed in the tile's zone, in id order,
 *        score = (noise_t + 1) / 2 * weight[zone][t] * jitter,
 *     jitter = 0.8 + 0.4 * (next jitter draw >> 32) / 2^32 (one draw per
 *     allowed terrain).  The highest score wins, ties to the lower id.
 *     The weights are those of §4.5 (river's aside: water is step 2).
 *  5. The Forsaken (cm_map_forsaken) need no pass: tile t's draw is
 *     r = mix(fseed + (t+1) * 0x9e3779b97f4a7c15), splitmix64's t-th
 *     output from state fseed.  Water has none.  Land has one when
 *     (r >> 40) % 100 < density[zone]; its type by ((r >> 20) & 0xfffff)
 *     % 100 (cumulative 50/80/95/100: hamlet, village, town,
 *     stronghold); its garrison floor((lo + (r & 0xfffff) % (hi-lo+1)) *
 *     mult[zone] / 100), lo..hi inclusive.  Table forsaken_rules below.
 *
 * Measured on 100 x 100 over seeds 1..200: water 1491-1500 tiles every
 * time (22% of the outer ring, 12% of the middle one), all of it in seas
 * of 10-30 tiles.  Outer ring: plains 56%, forest 21%, water 22%, ruins
 * 1%; middle: plains 39%, forest 39%, water 12%, mountain 5%, ruins 5%;
 * inner: mountain 44%, corruption 44%, ruins 12%, plains 1%; heart:
 * corruption 100%.  Whole map: plains 41%, forest 24%, mountain 9%,
 * river 15%, ruins 4%, corruption 8%.  The Forsaken: 15.1/24.9/35.0/49.8%
 * of land by zone, types 50.1/29.9/15.0/5.0%.  Generating 100 x 100
 * takes about 1.5 ms, 4096 x 4096 a few seconds.
 */
#include <stdlib.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_map.h"

#define MAP_MAX      4096
#define NOISE_CELL   15    // tiles per noise lattice cell
#define Q_ONE        65536 // 1.0 in Q16
#define Q_HALF_SQRT2 46341 // sqrt(2) / 2 in Q16
#define Q_SQRT2      92682 // sqrt(2) in Q16
#define JITTER_LO    52429 // 0.8 in Q16
#define JITTER_SPAN  26214 // 0.4 in Q16
#define GOLDEN       0x9e3779b97f4a7c15ULL

#define WATER_PCT      15 // of the map
#define SEA_MIN        10 // tiles
#define SEA_MAX        30
#define SEA_GROW_TRIES 8 // draws per tile of the sea's size

struct cm_map {
	int      w, h;
	uint64_t fseed;   // the Forsaken seed (step 1)
	uint8_t *terrain; // w * h, row-major
	uint8_t *zone;    // w * h, row-major
};

static const char *const terrain_names[CM_TERRAIN_COUNT] = { "plains",
	"forest", "mountain", "river", "ruins", "corruption" };
static const char *const zone_names[] = { "outer", "middle", "inner",
	"heart" };
static const char *const forsaken_names[] = { "none", "hamlet", "village",
	"town", "stronghold" };

/*
 * weight[zone][terrain] in hundredths, §4.5; 0: not allowed in that zone.
 * River is never picked here: water is placed by the seas (step 2).
 */
static const int zone_weights[4][CM_TERRAIN_COUNT] = {
	/*           plains forest mountain river ruins corruption */
	/* outer  */ { 200, 150, 30, 0, 80, 10 },
	/* middle */ { 150, 150, 100, 0, 100, 0 },
	/* inner  */ { 100, 80, 200, 0, 150, 200 },
	/* heart  */ { 30, 0, 50, 0, 0, 500 },
};

/* A sea may start at a tile with this chance in percent, by zone. */
static const int sea_start_pct[4] = { 100, 40, 0, 0 };

/*
 * ---- RULES TABLE: the Forsaken at map generation --------------------
 * game-rules-facts §4.2 and §4.7.  These numbers belong to the rules
 * (shard_rules) and will move to the rules file; until then this is the
 * one place that holds them.
 */
static const struct {
	int density_pct[4]; // by zone (outer, middle, inner, heart)
	int mult_pct[4];    // garrison multiplier by zone, percent
	int type_pct[4];    // hamlet, village, town, stronghold
	uint32_t lo[4], hi[4]; // garrison range by type, inclusive
} forsaken_rules = {
	.density_pct = { 15, 25, 35, 50 },
	.mult_pct    = { 80, 100, 130, 160 },
	.type_pct    = { 50, 30, 15, 5 },
	.lo          = { 20, 50, 150, 400 },
	.hi          = { 50, 150, 400, 1000 },
};
/* ---- end of RULES TABLE -------------------------------------------- */

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

int
cm_layout_shard_of(const cm_layout *l, int x, int y)
{
	int c = ((x + 1) * l->cols - 1) / l->w;
	int r = ((y + 1) * l->rows - 1) / l->h;

	return (r * l->cols + c);
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
	cm_assert(shards >= 1);
	return ((int) (cm_fnv1a64(id, len) % (uint64_t) shards));
}

/* ---- zones -------------------------------------------------------- */

cm_zone
cm_map_zone(int w, int h, int x, int y)
{
	int m  = w < h ? w : h;
	int dx = abs(x - w / 2), dy = abs(y - h / 2);
	int d = dx > dy ? dx : dy;

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
	if ((unsigned) t >= CM_TERRAIN_COUNT) {
		return ("unknown");
	}
	return (terrain_names[t]);
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

/* jitter_next returns U(0.8, 1.2) in Q16 from the top 32 bits of a draw. */
static int64_t
jitter_next(uint64_t *s)
{
	return (JITTER_LO +
	    (int64_t) (((splitmix64(s) >> 32) * JITTER_SPAN) >> 32));
}

typedef struct noise {
	uint8_t perm[512];
	int64_t ox, oy; // lattice offset, Q16
} noise;

static void
noise_init(noise *n, uint64_t state)
{
	for (int i = 0; i < 256; i++) {
		n->perm[i] = (uint8_t) i;
	}
	for (int i = 255; i > 0; i--) {
		int     j = (int) (splitmix64(&state) % (uint64_t) (i + 1));
		uint8_t t = n->perm[i];

		n->perm[i] = n->perm[j];
		n->perm[j] = t;
	}
	memcpy(n->perm + 256, n->perm, 256);
	n->ox = (int64_t) (splitmix64(&state) >> 40); // [0, 256) in Q16
	n->oy = (int64_t) (splitmix64(&state) >> 40);
}

/*
 * Products of Q16 values divide by Q_ONE rather than shift: division of a
 * negative number truncates toward zero by definition, where a right shift
 * of one is implementation-defined.
 */
static int64_t
q_mul(int64_t a, int64_t b)
{
	return (a * b / Q_ONE);
}

/* The dot product of gradient hash & 7 with (dx, dy), Q16. */
static int64_t
noise_grad(int hash, int64_t dx, int64_t dy)
{
	static const int64_t g[8][2] = { { Q_ONE, 0 }, { -Q_ONE, 0 },
		{ 0, Q_ONE }, { 0, -Q_ONE }, { Q_HALF_SQRT2, Q_HALF_SQRT2 },
		{ -Q_HALF_SQRT2, Q_HALF_SQRT2 },
		{ Q_HALF_SQRT2, -Q_HALF_SQRT2 },
		{ -Q_HALF_SQRT2, -Q_HALF_SQRT2 } };

	return (q_mul(g[hash & 7][0], dx) + q_mul(g[hash & 7][1], dy));
}

/* The quintic fade 6t^5 - 15t^4 + 10t^3 of t in [0, 1), Q16. */
static int64_t
noise_fade(int64_t t)
{
	int64_t v = q_mul(t, 6 * t - 15 * Q_ONE) + 10 * Q_ONE;

	return (q_mul(t, q_mul(t, q_mul(t, v))));
}

/* Gradient noise at (px, py) (Q16, non-negative), in [-Q_ONE, Q_ONE]. */
static int64_t
noise_at(const noise *n, int64_t px, int64_t py)
{
	int     xi = (int) ((px / Q_ONE) & 255);
	int     yi = (int) ((py / Q_ONE) & 255);
	int64_t xf = px % Q_ONE, yf = py % Q_ONE;
	int64_t u = noise_fade(xf), v = noise_fade(yf);
	int     aa  = n->perm[n->perm[xi] + yi];
	int     ab  = n->perm[n->perm[xi] + yi + 1];
	int     ba  = n->perm[n->perm[xi + 1] + yi];
	int     bb  = n->perm[n->perm[xi + 1] + yi + 1];
	int64_t g00 = noise_grad(aa, xf, yf);
	int64_t g10 = noise_grad(ba, xf - Q_ONE, yf);
	int64_t g01 = noise_grad(ab, xf, yf - Q_ONE);
	int64_t g11 = noise_grad(bb, xf - Q_ONE, yf - Q_ONE);
	int64_t x1  = g00 + q_mul(u, g10 - g00);
	int64_t x2  = g01 + q_mul(u, g11 - g01);
	int64_t r   = q_mul(x1 + q_mul(v, x2 - x1), Q_SQRT2);

	return (r > Q_ONE ? Q_ONE : r < -Q_ONE ? -Q_ONE : r);
}

/* ---- water ------------------------------------------------------- */

/* The 8 neighbours in ring order, clockwise from the top left. */
static const int ring[8][2] = { { -1, -1 }, { 0, -1 }, { 1, -1 },
	{ 1, 0 }, { 1, 1 }, { 0, 1 }, { -1, 1 }, { -1, 0 } };
static const int nb4[4][2] = { { 1, 0 }, { -1, 0 }, { 0, 1 }, { 0, -1 } };

typedef struct water {
	cm_map  *m;
	int     *sea;       // per tile: 0 land, else the sea's label
	int     *tiles;     // the growing sea's tiles, in order added
	uint8_t  groups[256]; // 8-connected groups of a ring mask
	uint64_t s;         // the water stream
} water;

/*
 * ring_groups counts the 8-connected groups of the neighbours set in mask
 * (bit k: ring[k]), adjacency taken inside the 3 x 3 window, centre out.
 */
static int
ring_groups(unsigned mask)
{
	unsigned seen = 0;
	int      groups = 0;

	for (int k = 0; k < 8; k++) {
		bool grew = true;

		if (!(mask & (1u << k)) || (seen & (1u << k))) {
			continue;
		}
		groups++;
		seen |= 1u << k;
		while (grew) { // add members' neighbours until none is new
			grew = false;
			for (int a = 0; a < 8; a++) {
				for (int b = 0; b < 8 && (seen & (1u << a));
				     b++) {
					if ((mask & ~seen & (1u << b)) &&
					    abs(ring[a][0] - ring[b][0]) <= 1 &&
					    abs(ring[a][1] - ring[b][1]) <= 1) {
						seen |= 1u << b;
						grew = true;
					}
				}
			}
		}
	}
	return (groups);
}

/*
 * water_ok tells whether tile (x, y) may join sea label: land in a zone
 * that allows water, touching no other sea, and removable (see step 2).
 */
static bool
water_ok(const water *wa, int x, int y, int label)
{
	const cm_map *m    = wa->m;
	unsigned      mask = 0;

	if (x < 0 || y < 0 || x >= m->w || y >= m->h ||
	    wa->sea[y * m->w + x] != 0 ||
	    sea_start_pct[m->zone[y * m->w + x]] == 0) {
		return (false);
	}
	for (int k = 0; k < 8; k++) {
		int nx = x + ring[k][0], ny = y + ring[k][1], s;

		if (nx < 0 || ny < 0 || nx >= m->w || ny >= m->h) {
			continue;
		}
		if ((s = wa->sea[ny * m->w + nx]) == 0) {
			mask |= 1u << k;
		} else if (s != label) {
			return (false);
		}
	}
	return (wa->groups[mask] == 1);
}

/* sea_grow grows sea label from tile start to at most size tiles; returns
 * how many it has. */
static int
sea_grow(water *wa, int start, int size, int label)
{
	int w = wa->m->w, len = 1;

	wa->sea[start] = label;
	wa->tiles[0]   = start;
	for (int i = 0; i < SEA_GROW_TRIES * size && len < size; i++) {
		uint64_t r = splitmix64(&wa->s);
		int      t = wa->tiles[(r >> 32) % (uint64_t) len];
		int      x = t % w + nb4[r & 3][0], y = t / w + nb4[r & 3][1];

		if (water_ok(wa, x, y, label)) {
			wa->sea[y * w + x] = label;
			wa->tiles[len++]   = y * w + x;
		}
	}
	return (len);
}

/* map_water lays the seas of step 2 and marks their tiles river. */
static void
map_water(cm_map *m, uint64_t state)
{
	int   n = m->w * m->h, target = n * WATER_PCT / 100, have = 0;
	int   label = 0;
	water wa    = { .m = m, .s = state };

	wa.sea   = cm_calloc((size_t) n, sizeof(int));
	wa.tiles = cm_malloc(sizeof(int) * SEA_MAX);
	for (unsigned mask = 0; mask < 256; mask++) {
		wa.groups[mask] = (uint8_t) ring_groups(mask);
	}
	for (int i = 0; i < 256 + n / 4 && have + SEA_MIN <= target; i++) {
		uint64_t r = splitmix64(&wa.s);
		int      t = (int) ((r >> 32) % (uint64_t) n), size, len;

		if ((int) ((r & 0xffffffffu) % 100) >=
		        sea_start_pct[m->zone[t]] ||
		    !water_ok(&wa, t % m->w, t / m->w, label + 1)) {
			continue;
		}
		size = SEA_MIN + (int) (splitmix64(&wa.s) %
		                         (SEA_MAX - SEA_MIN + 1));
		if (size > target - have) {
			size = target - have;
		}
		len = sea_grow(&wa, t, size, ++label);
		if (len < SEA_MIN) { // too small to be a sea: back to land
			for (int k = 0; k < len; k++) {
				wa.sea[wa.tiles[k]] = 0;
			}
			continue;
		}
		have += len;
		for (int k = 0; k < len; k++) {
			m->terrain[wa.tiles[k]] = CM_TERRAIN_RIVER;
		}
	}
	free(wa.sea);
	free(wa.tiles);
}

/* ---- generation --------------------------------------------------- */

/* The land terrains, which have noise fields, in id order. */
static const int land_terrains[] = { CM_TERRAIN_PLAINS, CM_TERRAIN_FOREST,
	CM_TERRAIN_MOUNTAIN, CM_TERRAIN_RUINS, CM_TERRAIN_CORRUPTION };
#define LAND_TERRAINS \
	((int) (sizeof(land_terrains) / sizeof(land_terrains[0])))

/* map_land_pick picks the land terrain of every land tile (step 4). */
static void
map_land_pick(cm_map *m, const noise *fields, uint64_t jitter)
{
	for (int y = 0; y < m->h; y++) {
		int64_t py = (int64_t) y * Q_ONE / NOISE_CELL;

		for (int x = 0; x < m->w; x++) {
			int64_t px   = (int64_t) x * Q_ONE / NOISE_CELL;
			int     z    = m->zone[y * m->w + x];
			int64_t best = -1;
			int     pick = CM_TERRAIN_PLAINS;

			if (m->terrain[y * m->w + x] == CM_TERRAIN_RIVER) {
				continue;
			}
			for (int i = 0; i < LAND_TERRAINS; i++) {
				const noise *f  = &fields[i];
				int          t  = land_terrains[i];
				int64_t      wt = zone_weights[z][t], nz, sc;

				if (wt == 0) {
					continue;
				}
				nz = noise_at(f, px + f->ox, py + f->oy);
				sc = (nz + Q_ONE) / 2 * wt *
				    jitter_next(&jitter);
				if (sc > best) {
					best = sc;
					pick = t;
				}
			}
			m->terrain[y * m->w + x] = (uint8_t) pick;
		}
	}
}

cm_err
cm_map_generate(int w, int h, uint64_t seed, cm_map **out)
{
	noise    fields[LAND_TERRAINS];
	uint64_t master = seed, jitter, wstate;
	cm_map  *m;

	if (w < 1 || w > MAP_MAX || h < 1 || h > MAP_MAX) {
		return (CM_ERANGE);
	}
	for (int i = 0; i < LAND_TERRAINS; i++) {
		noise_init(&fields[i], splitmix64(&master));
	}
	jitter     = splitmix64(&master);
	wstate     = splitmix64(&master);
	m          = cm_calloc(1, sizeof(*m));
	m->w       = w;
	m->h       = h;
	m->fseed   = splitmix64(&master);
	m->terrain = cm_calloc((size_t) w * (size_t) h, 1); // all plains
	m->zone    = cm_malloc((size_t) w * (size_t) h);
	for (int y = 0; y < h; y++) {
		for (int x = 0; x < w; x++) {
			m->zone[y * w + x] = (uint8_t) cm_map_zone(w, h, x, y);
		}
	}
	map_water(m, wstate);
	map_land_pick(m, fields, jitter);
	*out = m;
	return (CM_OK);
}

/* ---- the Forsaken ------------------------------------------------- */

cm_forsaken_type
cm_map_forsaken(const cm_map *m, int x, int y, uint32_t *strength)
{
	int      t = y * m->w + x, z = m->zone[t], type = 0, acc = 0;
	uint64_t r = m->fseed + (uint64_t) (t + 1) * GOLDEN;
	uint32_t lo, hi, s;

	r = (r ^ (r >> 30)) * 0xbf58476d1ce4e5b9ULL;
	r = (r ^ (r >> 27)) * 0x94d049bb133111ebULL;
	r = r ^ (r >> 31);
	if (strength != NULL) {
		*strength = 0;
	}
	if (m->terrain[t] == CM_TERRAIN_RIVER ||
	    (int) ((r >> 40) % 100) >= forsaken_rules.density_pct[z]) {
		return (CM_FORSAKEN_NONE);
	}
	for (int roll = (int) (((r >> 20) & 0xfffff) % 100); type < 3;
	     type++) {
		if (roll < (acc += forsaken_rules.type_pct[type])) {
			break;
		}
	}
	lo = forsaken_rules.lo[type];
	hi = forsaken_rules.hi[type];
	s  = lo + (uint32_t) ((r & 0xfffff) % (hi - lo + 1));
	if (strength != NULL) {
		*strength = s * (uint32_t) forsaken_rules.mult_pct[z] / 100;
	}
	return ((cm_forsaken_type) (type + 1));
}

const char *
cm_forsaken_type_name(cm_forsaken_type t)
{
	return ((unsigned) t < 5 ? forsaken_names[t] : "unknown");
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
