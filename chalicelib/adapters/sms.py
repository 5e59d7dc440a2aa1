"""SMS through Amazon SNS: one transactional message to one E.164 number."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SmsSender:
    """Sends one SMS through SNS, from the governorate's registered sender ID when there is one."""

    sns: Any  # a boto3 SNS client
    sender_id: str | None  # Egypt requires a registered sender ID (configuration)

    def send(self, phone: str, text: str) -> str:
        """Publishes the SMS; returns SNS's message id. Raises botocore's errors on failure."""
        attributes = {"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}}
        if self.sender_id:
            attributes["AWS.SNS.SMS.SenderID"] = {"DataType": "String", "StringValue": self.sender_id}
        return self.sns.publish(PhoneNumber=phone, Message=text, MessageAttributes=attributes)["MessageId"]
