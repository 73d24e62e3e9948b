// C++ exceptions in a glibc PIE (g++ -static-libstdc++ -static-libgcc): libgcc's unwinder finds each
// frame's unwind table through _dl_find_object, runs the destructors on the way and lands in the catch.
#include <cstdio>

struct Failure {
    int code;
};

static int destroyed;

struct Guard {
    int id;
    ~Guard() { destroyed += id; }
};

__attribute__((noinline)) static int fail(int depth)
{
    Guard guard{depth};
    if (depth == 0)
        throw Failure{42};
    return fail(depth - 1) + 1;
}

__attribute__((noinline)) static void rethrow()
{
    try {
        fail(2);
    } catch (Failure &failure) {
        failure.code++;
        throw;
    }
}

int main()
{
    try {
        fail(3);
        std::puts("no exception");
        return 1;
    } catch (const Failure &failure) {
        std::printf("caught %d, destructors %d\n", failure.code, destroyed);
    }
    try {
        rethrow();
    } catch (...) {
        std::printf("rethrown caught, destructors %d\n", destroyed);
    }
    return 0;
}
