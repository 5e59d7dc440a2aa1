"""Voice calls: SNS has none, so a request for a call goes to an SNS topic, whose subscriber
places it with AWS End User Messaging SMS and Voice v2 (Polly's Arabic voice, Zeina)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

ARABIC_VOICE = "ZEINA"


@dataclass(frozen=True)
class VoiceCallRequests:
    """Asks for a voice call by publishing to the voice topic, whose subscriber places it (SNS has no voice)."""

    sns: Any  # a boto3 SNS client
    topic_arn: str

    def request_call(self, phone: str, ssml: str, message_key: str) -> str:
        body = json.dumps({"phone": phone, "ssml": ssml, "message_key": message_key}, ensure_ascii=False)
        return self.sns.publish(TopicArn=self.topic_arn, Message=body)["MessageId"]


@dataclass(frozen=True)
class VoiceCaller:
    """The voice topic's subscriber: places the call through AWS End User Messaging SMS and Voice v2."""

    voice: Any  # a boto3 pinpoint-sms-voice-v2 client
    origination_identity: str  # the number (or its ARN) the call comes from

    def place_call(self, request: str) -> str:
        """Places the call a VoiceCallRequests message asks for; returns the call's message id."""
        call = json.loads(request)
        answer = self.voice.send_voice_message(
            DestinationPhoneNumber=call["phone"],
            OriginationIdentity=self.origination_identity,
            MessageBody=call["ssml"],
            MessageBodyTextType="SSML",
            VoiceId=ARABIC_VOICE,
            Context={"message_key": call["message_key"]},
        )
        return answer["MessageId"]
