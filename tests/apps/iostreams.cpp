// A C++ program as `g++ -O2` builds it: libstdc++.so.6 and libgcc_s.so.1 come from the disk.
// iostreams (libstdc++'s locale facets read glibc's locale objects), containers, exceptions through
// libgcc_s's unwinder (type_info taken by COPY relocation), threads with a mutex, strings.
#include <algorithm>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

struct Shape { virtual ~Shape() = default; virtual double area() const = 0; };
struct Square : Shape { double s; explicit Square(double s) : s(s) {} double area() const override { return s * s; } };

int main() {
    std::vector<std::unique_ptr<Shape>> shapes;
    for (int i = 1; i <= 3; i++) shapes.push_back(std::make_unique<Square>(i));
    double total = 0;
    for (auto &s : shapes) total += s->area();
    std::cout << "areas " << total << std::endl;

    std::map<std::string, int> counts;
    std::istringstream words("b a c a b a");
    for (std::string w; words >> w;) counts[w]++;
    for (auto &[w, n] : counts) std::cout << w << '=' << n << ' ';
    std::cout << '\n';

    std::istringstream numbers("12 -7 x");
    int first = 0, second = 0, third = 99;
    numbers >> first >> second;
    bool failed = !(numbers >> third);
    std::cout << "ints " << first + second << " fail " << failed << '\n';

    try { throw std::runtime_error("thrown through the runtime"); }
    catch (const std::exception &e) { std::cout << "caught: " << e.what() << '\n'; }
    try { throw 42; }
    catch (int n) { std::cout << "caught int " << n << '\n'; }

    std::mutex m; int sum = 0; std::vector<std::thread> threads;
    for (int t = 0; t < 4; t++) threads.emplace_back([&, t] { for (int i = 0; i < 1000; i++) { std::lock_guard<std::mutex> g(m); sum += t; } });
    for (auto &t : threads) t.join();
    std::cout << "threads sum " << sum << std::endl;

    std::vector<int> v{5, 3, 9, 1}; std::sort(v.begin(), v.end());
    std::cout << "sorted " << v[0] << v[1] << v[2] << v[3] << std::endl;

    std::string text = std::to_string(6 * 7) + "/" + std::to_string(2.5);
    std::cout << "to_string " << text << " stoi " << std::stoi("-123") + 1 << std::endl;
    try { std::stoi("not a number"); }
    catch (const std::invalid_argument &) { std::cout << "stoi refused" << std::endl; }

    std::ostringstream formatted;
    formatted << std::hex << 255 << ' ' << std::fixed << 3.14159;
    std::cout << "formatted " << formatted.str() << std::endl;
    return 0;
}
