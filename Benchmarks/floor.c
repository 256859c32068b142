/*
 * The floor: the least any tool that reads these catalogs with libyaml must spend.
 *
 *     floor FILE...
 *
 * Reads each file whole and runs libyaml's event parser over it, counting events and scalar bytes; it builds
 * nothing and checks nothing. Prints "FILES files, EVENTS events, BYTES scalar bytes" and exits 0, or names
 * the first file that does not parse and exits 65.
 *
 * Built by Benchmarks/run with: cc -O2 -o floor floor.c $(pkg-config --cflags --libs yaml-0.1)
 */
#include <stdio.h>
#include <stdlib.h>
#include <yaml.h>

static unsigned char *read_file(const char *path, size_t *size) {
    FILE *file = fopen(path, "rb");
    if (!file) return NULL;
    size_t capacity = 1 << 16, length = 0;
    unsigned char *data = malloc(capacity);
    for (;;) {
        if (length == capacity) {
            capacity *= 2;
            data = realloc(data, capacity);
        }
        size_t got = fread(data + length, 1, capacity - length, file);
        if (got == 0) break;
        length += got;
    }
    fclose(file);
    *size = length;
    return data;
}

int main(int argc, char **argv) {
    unsigned long events = 0, scalar_bytes = 0;
    for (int i = 1; i < argc; i++) {
        size_t size = 0;
        unsigned char *data = read_file(argv[i], &size);
        if (!data) {
            fprintf(stderr, "floor: cannot read %s\n", argv[i]);
            return 66;
        }
        yaml_parser_t parser;
        yaml_event_t event;
        yaml_parser_initialize(&parser);
        yaml_parser_set_input_string(&parser, data, size);
        int done = 0;
        while (!done) {
            if (!yaml_parser_parse(&parser, &event)) {
                fprintf(stderr, "floor: %s:%lu:%lu: %s\n", argv[i], (unsigned long)parser.problem_mark.line + 1,
                        (unsigned long)parser.problem_mark.column + 1, parser.problem ? parser.problem : "error");
                return 65;
            }
            events++;
            if (event.type == YAML_SCALAR_EVENT) scalar_bytes += event.data.scalar.length;
            done = event.type == YAML_STREAM_END_EVENT;
            yaml_event_delete(&event);
        }
        yaml_parser_delete(&parser);
        free(data);
    }
    printf("%d files, %lu events, %lu scalar bytes\n", argc - 1, events, scalar_bytes);
    return 0;
}
