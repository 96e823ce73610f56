#include <gtest/gtest.h>

#include "reader.hpp"

TEST(Reader, ParsesDims) { EXPECT_EQ(irlint::parse_dim("1..10"), (irlint::Dim{1, 10})); }
