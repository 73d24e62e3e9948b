# Run by Debian's /usr/bin/perl on the kernel (tests/Osv.Integration.Tests/DebianProgramTests.cs):
# the interpreter alone, no modules: regular expressions, hashes, sort with a comparator, closures,
# references, sprintf, file I/O on /tmp, die caught by eval.
my $text = "the quick brown fox jumps over the lazy dog the end";
my %count;
$count{$_}++ for ($text =~ /(\w+)/g);
my @top = sort { $count{$b} <=> $count{$a} || $a cmp $b } keys %count;
printf "words: %d distinct, top %s x%d\n", scalar(keys %count), $top[0], $count{$top[0]};

my @adders = map { my $n = $_; sub { $_[0] + $n } } 1 .. 3;
print "closures: ", join(" ", map { $_->(10) } @adders), "\n";

my $tree = { name => "root", children => [ { name => "a" }, { name => "b", children => [ { name => "c" } ] } ] };
sub walk { my ($node, $depth) = @_; my $s = ("-" x $depth) . $node->{name}; $s .= " " . walk($_, $depth + 1) for @{ $node->{children} || [] }; return $s }
print "tree: ", walk($tree, 0), "\n";

open(my $out, ">", "/tmp/perl.txt") or die "open: $!";
print $out "$_\n" for 1 .. 5;
close $out;
open(my $in, "<", "/tmp/perl.txt") or die "open: $!";
my $sum = 0;
$sum += $_ while <$in>;
close $in;
print "file: sum $sum\n";

my $ok = eval { die "deliberate\n"; 1 };
print "eval caught: $@";
(my $swapped = "2026-11-27") =~ s/(\d+)-(\d+)-(\d+)/$3.$2.$1/;
print "substitution: $swapped\n";
exit 3;
