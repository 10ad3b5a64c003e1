//! Standard properties in typed columns: a field's wire name, column and type, and the conversion between the
//! property text and the column value.

use chrono::{DateTime, Utc};
use netlicensing_core::RepoError;
use netlicensing_model::types::{Money as Amount, WireValue};
use rust_decimal::{Decimal, prelude::ToPrimitive};
use sea_orm::{QueryResult, Value};

/// The SQL type of a field's column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// Text (also enum spellings, checked by the schema).
    Text,
    /// Boolean.
    Bool,
    /// 64-bit integer.
    Int,
    /// Money as a 64-bit count of minor units (cents).
    Money,
    /// Timestamp with time zone.
    Time,
}

/// A standard property kept in a column of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// Property name on the wire.
    pub wire: &'static str,
    /// Column name.
    pub column: &'static str,
    /// Column type.
    pub ty: ColumnType,
}

impl Field {
    /// A field.
    pub const fn new(wire: &'static str, column: &'static str, ty: ColumnType) -> Self {
        Self { wire, column, ty }
    }

    /// The column value of a property's text; a value out of the column's range is
    /// [`RepoError::OutOfRange`].
    pub fn value(&self, text: &str) -> Result<Value, RepoError> {
        let invalid = || RepoError::OutOfRange(format!("{}: '{}'", self.wire, text.escape_debug()));
        Ok(match self.ty {
            ColumnType::Text => Value::from(text.to_owned()),
            ColumnType::Bool => Value::from(bool::parse_wire(text).ok_or_else(invalid)?),
            ColumnType::Int => Value::from(text.trim().parse::<i64>().map_err(|_| invalid())?),
            ColumnType::Money => Value::from(money_minor(text).ok_or_else(invalid)?),
            ColumnType::Time => Value::from(DateTime::<Utc>::parse_wire(text).ok_or_else(invalid)?),
        })
    }

    /// The column's NULL.
    pub fn null(&self) -> Value {
        match self.ty {
            ColumnType::Text => Value::String(None),
            ColumnType::Bool => Value::Bool(None),
            ColumnType::Int | ColumnType::Money => Value::BigInt(None),
            ColumnType::Time => Value::ChronoDateTimeUtc(None),
        }
    }

    /// The property text of the column in a row, `None` for NULL.
    pub fn read(&self, row: &QueryResult) -> Result<Option<String>, RepoError> {
        let column = self.column;
        let fail = |e: sea_orm::DbErr| -> RepoError { RepoError::Failure(format!("column {column}: {e:?}")) };
        Ok(match self.ty {
            ColumnType::Text => row.try_get_by::<Option<String>, _>(column).map_err(fail)?,
            ColumnType::Bool => {
                row.try_get_by::<Option<bool>, _>(column).map_err(fail)?.map(|b| b.to_wire().into_owned())
            }
            ColumnType::Int => row.try_get_by::<Option<i64>, _>(column).map_err(fail)?.map(|n| n.to_string()),
            ColumnType::Money => row.try_get_by::<Option<i64>, _>(column).map_err(fail)?.map(money_text),
            ColumnType::Time => {
                row.try_get_by::<Option<DateTime<Utc>>, _>(column).map_err(fail)?.map(|t| t.to_wire().into_owned())
            }
        })
    }
}

/// The wire text of an amount in minor units.
pub fn money_text(minor: i64) -> String {
    Amount::new(Decimal::new(minor, 2)).to_wire().into_owned()
}

/// An amount's minor units, `None` beyond the 64-bit range.
pub fn money_minor(text: &str) -> Option<i64> {
    (Amount::parse_wire(text)?.amount() * Decimal::ONE_HUNDRED).trunc().to_i64()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_of_each_type() {
        let money = Field::new("price", "price_minor", ColumnType::Money);
        assert_eq!(money.value("10.5").unwrap(), Value::from(1050i64));
        assert!(matches!(money.value("99999999999999999999999"), Err(RepoError::OutOfRange(_))));
        let int = Field::new("quantity", "quantity", ColumnType::Int);
        assert!(int.value("12a").is_err());
        assert_eq!(int.value("-1").unwrap(), Value::from(-1i64));
        let flag = Field::new("hidden", "hidden", ColumnType::Bool);
        assert_eq!(flag.value("true").unwrap(), Value::from(true));
        let time = Field::new("startDate", "start_date", ColumnType::Time);
        assert!(time.value("2024-01-10T00:10:00.000Z").is_ok());
        assert!(time.value("yesterday").is_err());
    }
}
