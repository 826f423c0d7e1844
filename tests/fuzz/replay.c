/*
 * replay.c: a main() for the fuzz targets that feeds them every file named
 * on the command line, so `make test` replays the committed corpora with
 * gcc and the sanitizers, no libFuzzer needed.  `make fuzz` links the same
 * targets with libFuzzer instead to search for new inputs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		FILE   *f = fopen(argv[i], "rb");
		uint8_t buf[1 << 16];
		size_t  n;

		if (f == NULL) {
			perror(argv[i]);
			return (1);
		}
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
	}
	printf("replayed %d inputs\n", argc - 1);
	return (0);
}
