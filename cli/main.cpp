#include <iostream>

#include "app.hpp"

int main(int argc, char** argv) { return irlint::run_cli(argc, argv, std::cout, std::cerr); }
