-- Run by Debian's sqlite3 on the kernel (tests/Osv.Integration.Tests/DebianProgramTests.cs): a file
-- database on ramfs, with a journal, an index and a join.
create table fruit(id integer primary key, name text not null, price real);
create table orders(fruit integer references fruit(id), quantity integer);
create index orders_by_fruit on orders(fruit);
begin;
insert into fruit(name, price) values ('apple', 0.5), ('pear', 0.75), ('fig', 2.0);
insert into orders values (1, 4), (2, 2), (1, 6), (3, 1);
commit;
select name, sum(quantity), printf('%.2f', sum(quantity * price)) from orders join fruit on fruit.id = orders.fruit group by name order by name;
